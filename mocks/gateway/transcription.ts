/**
 * The mock gateway's speech-to-text (`duoChatTranscribe`): deterministic, like the scripted model.
 * Fixture clips (small WAV files this module writes) map, by a hash of their bytes, to known
 * text; any other recording gets a clear "could not transcribe" error (A6001), so a test or a
 * demo always knows what it will get.
 */
import { formatErrorMessage } from './errors'
import { decodeBase64 } from './imageInfo'
import type { GatewayLimits } from './limits'

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

/** Transcribes base64 audio: a fixture clip's text, or an error that says what to do. */
export function transcribe(limits: Pick<GatewayLimits, 'maxAudioBytes'>, audio: string): TranscriptionResult {
  const bytes = Math.floor((audio.length * 3) / 4)
  if (bytes > limits.maxAudioBytes) {
    return { text: null, errors: [formatErrorMessage('A1005', `The recording is about ${bytes.toLocaleString('en-US')} bytes, over the limit of ${limits.maxAudioBytes.toLocaleString('en-US')}. Record a shorter question.`)] }
  }
  known ??= new Map(TRANSCRIPTION_FIXTURES.map((fixture) => [fingerprint(fixture.clip()), fixture.text]))
  const text = /^[A-Za-z0-9+/]*={0,2}$/.test(audio) ? known.get(fingerprint(decodeBase64(audio))) : undefined
  if (text === undefined) return { text: null, errors: [formatErrorMessage('A6001', 'I could not transcribe the recording. Speak again, or type your question.')] }
  return { text, errors: [] }
}
