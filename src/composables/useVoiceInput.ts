import { computed, onScopeDispose, ref, type Ref } from 'vue'
import type { DuoChatLabels } from '../state/labels'

/** The part of the Web Speech API's SpeechRecognition the drawer uses. */
export interface SpeechRecognitionLike {
  lang: string
  interimResults: boolean
  continuous: boolean
  onresult: ((event: { results: ArrayLike<{ isFinal: boolean; 0: { transcript: string } }> }) => void) | null
  onerror: ((event: { error: string }) => void) | null
  onend: (() => void) | null
  start(): void
  stop(): void
  abort(): void
}

/** Records the microphone; `start` rejects with the browser's DOMException (NotAllowedError, NotFoundError…). */
export interface AudioRecorder {
  start(): Promise<{ stop(): Promise<Blob>; cancel(): void }>
}

/** `createDuoChat({ speech })`: voice input beside the prompt. */
export interface VoiceInputOptions {
  /** Turns voice input off. @default true */
  enabled?: boolean
  /**
   * Turns a recording into text where the browser has no speech recognition (or `recognition` is
   * null). @default the gateway's `duoChatTranscribe` (extension; absent when `v2` is off)
   */
  recognize?: (audio: Blob) => Promise<string>
  /** Listening or recording stops after this long, with a message. @default 60000 */
  maxDurationMs?: number
  /** Makes a SpeechRecognition; null uses recording and `recognize` only. @default the browser's (webkit)SpeechRecognition */
  recognition?: (() => SpeechRecognitionLike) | null
  /** The microphone recorder. @default MediaRecorder on getUserMedia */
  recorder?: AudioRecorder | null
}

type VoiceLabels = Pick<DuoChatLabels, 'microphoneDenied' | 'noMicrophone' | 'noSpeech' | 'voiceTooLong' | 'transcriptionFailed' | 'voiceFailed'>

export type VoiceState = 'idle' | 'listening' | 'recording' | 'transcribing'

/** The browser's SpeechRecognition constructor, if it has one. */
export function browserRecognition(): (() => SpeechRecognitionLike) | null {
  if (typeof window === 'undefined') return null
  const Recognition = (window as unknown as Record<string, unknown>).SpeechRecognition ?? (window as unknown as Record<string, unknown>).webkitSpeechRecognition
  return typeof Recognition === 'function' ? () => new (Recognition as new () => SpeechRecognitionLike)() : null
}

/** MediaRecorder on the default microphone, or null where the browser cannot record. */
export function browserRecorder(): AudioRecorder | null {
  if (typeof MediaRecorder === 'undefined' || typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) return null
  return {
    async start() {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
      const recorder = new MediaRecorder(stream)
      const chunks: Blob[] = []
      recorder.ondataavailable = (event) => chunks.push(event.data)
      recorder.start()
      const release = () => stream.getTracks().forEach((track) => track.stop())
      return {
        stop: () =>
          new Promise<Blob>((resolve) => {
            recorder.onstop = () => {
              release()
              resolve(new Blob(chunks, { type: recorder.mimeType }))
            }
            recorder.stop()
          }),
        cancel() {
          recorder.onstop = null
          if (recorder.state !== 'inactive') recorder.stop()
          release()
        },
      }
    },
  }
}

/** Text the user had, then what was said, with one space between. */
function joined(before: string, said: string): string {
  const text = said.trim()
  if (!text) return before
  return !before || /\s$/.test(before) ? before + text : `${before} ${text}`
}

/**
 * "Voice input": speech into the prompt box. With the browser's recognition the interim text shows
 * as it comes and the final text stays to edit; otherwise a recording goes to `recognize` and its
 * text is added. It never sends, and what the user had typed stays in front of what they said.
 */
export function useVoiceInput(draft: Ref<string>, options: () => VoiceInputOptions, labels: () => VoiceLabels) {
  const state = ref<VoiceState>('idle')
  const problem = ref<string | null>(null)
  let recognition: SpeechRecognitionLike | null = null
  let session: { stop(): Promise<Blob>; cancel(): void } | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  /** Set while the microphone opens: a Stop pressed meanwhile waits for it rather than being lost. */
  let starting: Promise<void> | null = null

  const recognitionFactory = () => (options().recognition === undefined ? browserRecognition() : options().recognition ?? null)
  const recorder = () => (options().recorder === undefined ? browserRecorder() : options().recorder ?? null)
  const available = computed(() => options().enabled !== false && (recognitionFactory() !== null || (recorder() !== null && !!options().recognize)))

  function startTimer(): void {
    const limit = options().maxDurationMs ?? 60_000
    timer = setTimeout(() => {
      problem.value = labels().voiceTooLong(Math.round(limit / 1000))
      void stop()
    }, limit)
  }

  function listen(create: () => SpeechRecognitionLike): void {
    const rec = (recognition = create())
    rec.lang = document.documentElement.lang || navigator.language
    rec.interimResults = true
    rec.continuous = true
    let before = draft.value
    let written = draft.value
    let committed = 0
    let finalSoFar = 0
    rec.onresult = (event) => {
      // The user typed meanwhile: keep their text and add only what is said from now on.
      if (draft.value !== written) {
        before = draft.value
        committed = finalSoFar
      }
      finalSoFar = 0
      while (finalSoFar < event.results.length && event.results[finalSoFar]?.isFinal) finalSoFar++
      let said = ''
      for (let i = committed; i < event.results.length; i++) said += event.results[i]?.[0].transcript ?? ''
      written = draft.value = joined(before, said)
    }
    rec.onerror = (event) => {
      if (event.error === 'aborted') return
      problem.value =
        event.error === 'not-allowed' || event.error === 'service-not-allowed'
          ? labels().microphoneDenied
          : event.error === 'audio-capture'
            ? labels().noMicrophone
            : event.error === 'no-speech'
              ? labels().noSpeech
              : labels().voiceFailed
    }
    rec.onend = () => {
      clearTimeout(timer)
      if (recognition === rec) recognition = null
      state.value = 'idle'
    }
    state.value = 'listening'
    rec.start()
    startTimer()
  }

  async function record(microphone: AudioRecorder): Promise<void> {
    state.value = 'recording'
    let opened: () => void = () => {}
    starting = new Promise((resolve) => (opened = resolve))
    try {
      session = await microphone.start()
    } catch (e) {
      state.value = 'idle'
      const name = e instanceof DOMException || e instanceof Error ? e.name : ''
      problem.value = name === 'NotAllowedError' || name === 'SecurityError' ? labels().microphoneDenied : name === 'NotFoundError' || name === 'OverconstrainedError' ? labels().noMicrophone : labels().voiceFailed
      return
    } finally {
      starting = null
      opened()
    }
    startTimer()
  }

  /** Starts listening (or recording); a no-op while busy. */
  async function start(): Promise<void> {
    if (state.value !== 'idle' || !available.value) return
    problem.value = null
    const create = recognitionFactory()
    if (create) return listen(create)
    const microphone = recorder()
    if (microphone) await record(microphone)
  }

  /** Stops: recognition finishes its last words; a recording is transcribed and its text added. */
  async function stop(): Promise<void> {
    clearTimeout(timer)
    if (recognition) {
      recognition.stop()
      return
    }
    if (starting) await starting
    const current = session
    if (state.value !== 'recording' || !current) return
    session = null
    state.value = 'transcribing'
    try {
      const audio = await current.stop()
      const text = await options().recognize!(audio)
      draft.value = joined(draft.value, text)
    } catch (e) {
      problem.value = labels().transcriptionFailed(e instanceof Error ? e.message : String(e))
    } finally {
      state.value = 'idle'
    }
  }

  function toggle(): Promise<void> {
    return state.value === 'idle' ? start() : stop()
  }

  onScopeDispose(() => {
    clearTimeout(timer)
    recognition?.abort()
    session?.cancel()
  })

  return { state, problem, available, start, stop, toggle }
}
