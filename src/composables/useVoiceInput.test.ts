// @vitest-environment jsdom
import { effectScope, ref } from 'vue'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defaultLabels } from '../state/labels'
import { useVoiceInput, type AudioRecorder, type SpeechRecognitionLike, type VoiceInputOptions } from './useVoiceInput'

class FakeRecognition implements SpeechRecognitionLike {
  lang = ''
  interimResults = false
  continuous = false
  onresult: SpeechRecognitionLike['onresult'] = null
  onerror: SpeechRecognitionLike['onerror'] = null
  onend: SpeechRecognitionLike['onend'] = null
  started = false
  private results: { isFinal: boolean; 0: { transcript: string } }[] = []
  start() {
    this.started = true
  }
  stop() {
    this.onend?.()
  }
  abort() {
    this.onend?.()
  }
  /** Hears `transcript`: replaces the last interim result, or adds one. */
  hear(transcript: string, isFinal: boolean) {
    if (this.results.at(-1)?.isFinal === false) this.results.pop()
    this.results.push({ isFinal, 0: { transcript } })
    this.onresult?.({ results: [...this.results] })
  }
}

const scope = effectScope()
afterEach(() => vi.useRealTimers())

function voice(draft: string, options: VoiceInputOptions) {
  const text = ref(draft)
  const voiceInput = scope.run(() => useVoiceInput(text, () => options, () => defaultLabels))!
  return { text, ...voiceInput }
}

describe('useVoiceInput with the browser’s recognition', () => {
  it('shows interim text in the box after what was typed, leaves the final text to edit, and never sends', async () => {
    const recognition = new FakeRecognition()
    const v = voice('Please', { recognition: () => recognition })
    await v.toggle()
    expect(v.state.value).toBe('listening')
    expect(recognition.interimResults).toBe(true)
    recognition.hear('summar', false)
    expect(v.text.value).toBe('Please summar')
    recognition.hear('summarize this issue', true)
    expect(v.text.value).toBe('Please summarize this issue')
    await v.toggle()
    expect(v.state.value).toBe('idle')
    expect(v.text.value).toBe('Please summarize this issue')
  })

  it('keeps what the user types while listening', async () => {
    const recognition = new FakeRecognition()
    const v = voice('', { recognition: () => recognition })
    await v.start()
    recognition.hear('hello', true)
    v.text.value = 'hello there,'
    recognition.hear(' world', false)
    expect(v.text.value).toBe('hello there, world')
  })

  it.each([
    ['not-allowed', 'The microphone is blocked. Allow it in the browser to use voice input.'],
    ['audio-capture', 'No microphone was found. Connect one to use voice input.'],
    ['no-speech', 'Nothing was heard. Try again, closer to the microphone.'],
  ])('says what went wrong on %s, and keeps the text', async (error, message) => {
    const recognition = new FakeRecognition()
    const v = voice('typed', { recognition: () => recognition })
    await v.start()
    recognition.onerror?.({ error })
    recognition.onend?.()
    expect(v.problem.value).toBe(message)
    expect(v.state.value).toBe('idle')
    expect(v.text.value).toBe('typed')
  })

  it('stops at maxDurationMs with a message', async () => {
    vi.useFakeTimers()
    const recognition = new FakeRecognition()
    const v = voice('', { recognition: () => recognition, maxDurationMs: 60_000 })
    await v.start()
    recognition.hear('a long question', true)
    vi.advanceTimersByTime(60_000)
    expect(v.state.value).toBe('idle')
    expect(v.problem.value).toBe('Voice input stops after 60 seconds; what was said so far is in the box.')
    expect(v.text.value).toBe('a long question')
  })
})

describe('useVoiceInput with a recording and recognize', () => {
  const clip = new Blob([new Uint8Array([1, 2, 3])], { type: 'audio/webm' })
  const recorder = (start: AudioRecorder['start'] = async () => ({ stop: async () => clip, cancel: () => {} })): AudioRecorder => ({ start })

  it('records, then adds the transcription to what was typed', async () => {
    const recognize = vi.fn(async () => 'how do I create an issue?')
    const v = voice('Question:', { recognition: null, recorder: recorder(), recognize })
    expect(v.available.value).toBe(true)
    await v.toggle()
    expect(v.state.value).toBe('recording')
    const stopping = v.toggle()
    expect(v.state.value).toBe('transcribing')
    await stopping
    expect(recognize).toHaveBeenCalledWith(clip)
    expect(v.text.value).toBe('Question: how do I create an issue?')
    expect(v.state.value).toBe('idle')
  })

  it('a Stop pressed while the microphone is still opening is not lost', async () => {
    let open: () => void = () => {}
    const opening = new Promise<void>((resolve) => (open = resolve))
    const v = voice('', { recognition: null, recorder: recorder(async () => (await opening, { stop: async () => clip, cancel: () => {} })), recognize: async () => 'hello' })
    const starting = v.start()
    expect(v.state.value).toBe('recording')
    const stopping = v.stop()
    open()
    await starting
    await stopping
    expect(v.text.value).toBe('hello')
    expect(v.state.value).toBe('idle')
  })

  it('shows the gateway’s "could not transcribe" and keeps the text', async () => {
    const v = voice('typed', { recognition: null, recorder: recorder(), recognize: async () => Promise.reject(new Error('I could not transcribe the recording. Error code: A6001')) })
    await v.start()
    await v.stop()
    expect(v.problem.value).toBe('I could not transcribe the recording. Error code: A6001')
    expect(v.text.value).toBe('typed')
  })

  it.each([
    ['NotAllowedError', 'The microphone is blocked. Allow it in the browser to use voice input.'],
    ['NotFoundError', 'No microphone was found. Connect one to use voice input.'],
  ])('says what went wrong when the microphone fails with %s', async (name, message) => {
    const v = voice('', { recognition: null, recorder: recorder(async () => Promise.reject(new DOMException('no', name))), recognize: async () => '' })
    await v.start()
    expect(v.problem.value).toBe(message)
    expect(v.state.value).toBe('idle')
  })

  it('is not available without recognition or a way to transcribe, or when turned off', () => {
    expect(voice('', { recognition: null, recorder: recorder() }).available.value).toBe(false)
    expect(voice('', { recognition: () => new FakeRecognition(), enabled: false }).available.value).toBe(false)
  })
})
