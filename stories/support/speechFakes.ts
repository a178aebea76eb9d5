/**
 * Stand-ins for the browser's speech engines, so that the voice and Read aloud stories sit in
 * their state the same way every time: headless browsers and jsdom have no voices and no
 * microphone, and a real one would depend on the room.
 */
import type { Transcriber } from '../../mocks/gateway/transcription'
import { toneWav } from '../../mocks/gateway/transcription'
import type { AudioRecorder, SpeechRecognitionLike } from '../../src/composables/useVoiceInput'
import type { SpeechSynthesisAdapter } from '../../src/index'

/** What the stories' speech-to-text hears, in every recording and from the scripted recognition. */
export const HEARD = 'How do I create an issue?'

/**
 * A SpeechRecognition that hears {@link HEARD}: all but its last character as interim text as soon
 * as it starts, then listens until it is stopped, when the whole sentence becomes final.
 */
export function scriptedRecognition(): SpeechRecognitionLike {
  const interim = HEARD.slice(0, -1)
  let listening = false
  const recognition: SpeechRecognitionLike = {
    lang: '',
    interimResults: false,
    continuous: false,
    onresult: null,
    onerror: null,
    onend: null,
    start() {
      listening = true
      queueMicrotask(() => listening && recognition.onresult?.({ results: [{ isFinal: false, 0: { transcript: interim } }] }))
    },
    stop() {
      if (!listening) return
      listening = false
      recognition.onresult?.({ results: [{ isFinal: true, 0: { transcript: HEARD } }] })
      recognition.onend?.()
    },
    abort() {
      listening = false
      recognition.onend?.()
    },
  }
  return recognition
}

/** A microphone that "records" a short WAV tone (no fixture clip: the gateway's transcriber gets it). */
export const fakeMicrophone: AudioRecorder = {
  async start() {
    return { stop: async () => new Blob([new Uint8Array(toneWav(523, 300))], { type: 'audio/wav' }), cancel() {} }
  },
}

/** The gateway's speech-to-text for the stories: {@link HEARD} after `delayMs`; `dispose` ends any still waiting. */
export function delayedTranscriber(delayMs: number): Transcriber & { dispose(): void } {
  const waiting = new Set<() => void>()
  return {
    name: 'story speech-to-text',
    transcribe: (_audio, _mimeType, signal) =>
      new Promise<string>((resolve, reject) => {
        const end = () => {
          clearTimeout(timer)
          waiting.delete(end)
          reject(new DOMException('The story ended.', 'AbortError'))
        }
        const timer = setTimeout(() => {
          waiting.delete(end)
          resolve(HEARD)
        }, delayMs)
        waiting.add(end)
        signal.addEventListener('abort', end, { once: true })
      }),
    dispose() {
      for (const end of [...waiting]) end()
    },
  }
}

/** Everything the silent synthesis was asked to say since the story started. */
export const spokenTexts: string[] = []

/** A speechSynthesis that says nothing and "speaks" until Stop reading cancels it. */
export function silentSynthesis(): SpeechSynthesisAdapter {
  let ending: (() => void) | null = null
  return {
    speak(text, onEnd) {
      spokenTexts.push(text)
      ending = onEnd
    },
    cancel() {
      const end = ending
      ending = null
      end?.()
    },
  }
}
