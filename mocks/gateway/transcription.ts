/**
 * The mock gateway's speech-to-text (`duoChatTranscribe`): deterministic, like the scripted model.
 * Fixture clips (small WAV files this module writes) map, by a hash of their bytes, to known
 * text; any other recording gets a clear "could not transcribe" error (A6001), so a test or a
 * demo always knows what it will get. A gateway given a {@link Transcriber} (the OpenAI-compatible
 * `/audio/transcriptions` endpoint, `transcriptionOpenAi.ts`) sends it every other recording.
 */
import { formatErrorMessage } from './errors'
import { decodeBase64 } from './imageInfo'
import type { GatewayLimits } from './limits'
import { toProviderError } from './providers'

/** A speech-to-text service behind `duoChatTranscribe`. */
export interface Transcriber {
  /** Shown in logs; no secrets. */
  readonly name: string
  /** What was said; rejects with a `ProviderError` (its code decides what the user reads). */
  transcribe(audio: Uint8Array, mimeType: string, signal: AbortSignal): Promise<string>
}

/** A mono 8 kHz 16-bit WAV of a sine tone: the same arguments always give the same bytes. */
export function toneWav(frequencyHz: number, durationMs: number): Uint8Array {
  const rate = 8000
  const samples = Math.round((rate * durationMs) / 1000)
  const wav = new Uint8Array(44 + samples * 2)
  const view = new DataView(wav.buffer)
  const text = (offset: number, value: string) => [...value].forEach((c, i) => (wav[offset + i] = c.charCodeAt(0)))
  text(0, 'RIFF')
  view.setUint32(4, 36 + samples * 2, true)
  text(8, 'WAVEfmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, 1, true)
  view.setUint16(22, 1, true)
  view.setUint32(24, rate, true)
  view.setUint32(28, rate * 2, true)
  view.setUint16(32, 2, true)
  view.setUint16(34, 16, true)
  text(36, 'data')
  view.setUint32(40, samples * 2, true)
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, Math.round(8000 * Math.sin((2 * Math.PI * frequencyHz * i) / rate)), true)
  return wav
}

/** The fixture clips and what they "say". */
export const TRANSCRIPTION_FIXTURES: readonly { name: string; clip: () => Uint8Array; text: string }[] = [
  { name: 'create-issue', clip: () => toneWav(440, 500), text: 'How do I create an issue?' },
  { name: 'summarize', clip: () => toneWav(660, 500), text: 'Summarize this issue' },
]

/** FNV-1a over the bytes, twice with different offsets: 64 bits, the same in Node and the browser. */
function fingerprint(bytes: Uint8Array): string {
  let a = 0x811c9dc5
  let b = 0x050c5d1f
  for (const byte of bytes) {
    a = Math.imul(a ^ byte, 0x01000193) >>> 0
    b = Math.imul(b ^ byte, 0x01000193) >>> 0
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}:${bytes.length}`
}
let known: Map<string, string> | null = null

export interface TranscriptionResult {
  text: string | null
  errors: string[]
}

const COULD_NOT_TRANSCRIBE = 'I could not transcribe the recording. Speak again, or type your question.'
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** The M1005 refusal of a recording over `maxAudioBytes`, or null when it fits. */
function overLimit(limits: Pick<GatewayLimits, 'maxAudioBytes'>, audio: string): TranscriptionResult | null {
  const bytes = Math.floor((audio.length * 3) / 4)
  if (bytes <= limits.maxAudioBytes) return null
  return { text: null, errors: [formatErrorMessage('M1005', `The recording is about ${bytes.toLocaleString('en-US')} bytes, over the limit of ${limits.maxAudioBytes.toLocaleString('en-US')}. Record a shorter question.`)] }
}

/** The known text of a fixture clip (base64), if it is one. */
function fixtureText(audio: string): string | undefined {
  known ??= new Map(TRANSCRIPTION_FIXTURES.map((fixture) => [fingerprint(fixture.clip()), fixture.text]))
  return BASE64.test(audio) ? known.get(fingerprint(decodeBase64(audio))) : undefined
}

const couldNotTranscribe = (): TranscriptionResult => ({ text: null, errors: [formatErrorMessage('A6001', COULD_NOT_TRANSCRIBE)] })

/** Transcribes base64 audio: a fixture clip's text, or an error that says what to do. */
export function transcribe(limits: Pick<GatewayLimits, 'maxAudioBytes'>, audio: string): TranscriptionResult {
  const refused = overLimit(limits, audio)
  if (refused) return refused
  const text = fixtureText(audio)
  return text === undefined ? couldNotTranscribe() : { text, errors: [] }
}

/** What the user reads when the speech-to-text service fails, by the provider code. */
const TRANSCRIBER_FAILURE: Record<string, string> = {
  A1008: 'I could not reach the speech-to-text service. Try again, or type your question.',
  A1001: 'The speech-to-text service refused the recording. Type your question instead.',
  A6000: COULD_NOT_TRANSCRIBE,
}

/**
 * Transcribes with a {@link Transcriber} when there is one: fixture clips keep their known text
 * (so tests and the demo answer the same whatever is configured), every other recording goes to
 * the service, and its failures come back as the provider codes (A1008, A1001, A6000).
 */
export async function transcribeWith(
  transcriber: Transcriber | null | undefined,
  limits: Pick<GatewayLimits, 'maxAudioBytes'>,
  audio: string,
  mimeType: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<TranscriptionResult> {
  if (!transcriber) return transcribe(limits, audio)
  const refused = overLimit(limits, audio)
  if (refused) return refused
  const fixture = fixtureText(audio)
  if (fixture !== undefined) return { text: fixture, errors: [] }
  if (!BASE64.test(audio)) return couldNotTranscribe()
  try {
    const text = (await transcriber.transcribe(decodeBase64(audio), mimeType, signal)).trim()
    return text ? { text, errors: [] } : couldNotTranscribe()
  } catch (error) {
    const failure = toProviderError(error, transcriber.name)
    console.warn(`[mock gateway] transcription failed (${failure.code}): ${failure.message}`)
    return { text: null, errors: [formatErrorMessage(failure.code, TRANSCRIBER_FAILURE[failure.code] ?? COULD_NOT_TRANSCRIBE)] }
  }
}
