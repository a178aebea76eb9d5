/**
 * The mock gateway's speech-to-text (`duoChatTranscribe`): deterministic, like the scripted model.
 * Fixture clips (small WAV files this module writes) map, by the SHA-256 of their bytes, to known
 * text; any other recording gets a clear "could not transcribe" error (A6001), so a test or a
 * demo always knows what it will get.
 */
import { createHash } from 'node:crypto'
import { formatErrorMessage } from './errors'
import type { GatewayLimits } from './limits'

/** A mono 8 kHz 16-bit WAV of a sine tone: the same arguments always give the same bytes. */
export function toneWav(frequencyHz: number, durationMs: number): Buffer {
  const rate = 8000
  const samples = Math.round((rate * durationMs) / 1000)
  const wav = Buffer.alloc(44 + samples * 2)
  wav.write('RIFF', 0, 'latin1')
  wav.writeUInt32LE(36 + samples * 2, 4)
  wav.write('WAVEfmt ', 8, 'latin1')
  wav.writeUInt32LE(16, 16)
  wav.writeUInt16LE(1, 20)
  wav.writeUInt16LE(1, 22)
  wav.writeUInt32LE(rate, 24)
  wav.writeUInt32LE(rate * 2, 28)
  wav.writeUInt16LE(2, 32)
  wav.writeUInt16LE(16, 34)
  wav.write('data', 36, 'latin1')
  wav.writeUInt32LE(samples * 2, 40)
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * frequencyHz * i) / rate)), 44 + i * 2)
  return wav
}

/** The fixture clips and what they "say". */
export const TRANSCRIPTION_FIXTURES: readonly { name: string; clip: () => Buffer; text: string }[] = [
  { name: 'create-issue', clip: () => toneWav(440, 500), text: 'How do I create an issue?' },
  { name: 'summarize', clip: () => toneWav(660, 500), text: 'Summarize this issue' },
]

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
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
  known ??= new Map(TRANSCRIPTION_FIXTURES.map((fixture) => [sha256(fixture.clip()), fixture.text]))
  const text = /^[A-Za-z0-9+/]*={0,2}$/.test(audio) ? known.get(sha256(Buffer.from(audio, 'base64'))) : undefined
  if (text === undefined) return { text: null, errors: [formatErrorMessage('A6001', 'I could not transcribe the recording. Speak again, or type your question.')] }
  return { text, errors: [] }
}
