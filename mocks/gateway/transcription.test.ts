import { afterEach, describe, expect, it } from 'vitest'
import type { Gateway } from './index'
import { TRANSCRIPTION_FIXTURES, toneWav } from './transcription'
import { ALICE, createTestGateway, run } from './testHelpers'

const TRANSCRIBE = `mutation ($input: DuoChatTranscribeInput!) { duoChatTranscribe(input: $input) { text errors } }`

async function transcribe(gateway: Gateway, audio: Uint8Array, viewer: typeof ALICE | null = ALICE) {
  return run(gateway, viewer, TRANSCRIBE, { input: { audio: Buffer.from(audio).toString('base64'), mimeType: 'audio/wav' } })
}

describe('duoChatTranscribe', () => {
  let gateway: Gateway
  afterEach(() => gateway.dispose())

  it('transcribes each fixture clip to its known text, the same every time', async () => {
    gateway = createTestGateway()
    for (const fixture of TRANSCRIPTION_FIXTURES) {
      const result = await transcribe(gateway, fixture.clip())
      expect(result.data).toEqual({ duoChatTranscribe: { text: fixture.text, errors: [] } })
    }
    expect((await transcribe(gateway, toneWav(440, 500))).data).toEqual({ duoChatTranscribe: { text: 'How do I create an issue?', errors: [] } })
  })

  it('answers any other recording with a clear "could not transcribe" error and a code', async () => {
    gateway = createTestGateway()
    const result = await transcribe(gateway, toneWav(523, 700))
    expect(result.data).toEqual({ duoChatTranscribe: { text: null, errors: ['I could not transcribe the recording. Speak again, or type your question. Error code: A6001'] } })
  })

  it('refuses a recording over maxAudioBytes with M1005', async () => {
    gateway = createTestGateway({ limits: { maxAudioBytes: 1_000 } })
    const result = await transcribe(gateway, toneWav(440, 500))
    expect((result.data as { duoChatTranscribe: { errors: string[] } }).duoChatTranscribe.errors[0]).toMatch(/^The recording is about [\d,]+ bytes, over the limit of 1,000\. Record a shorter question\. Error code: M1005$/)
  })

  it('needs a signed-in user', async () => {
    gateway = createTestGateway()
    const result = await transcribe(gateway, toneWav(440, 500), null)
    expect(result.errors?.length).toBeGreaterThan(0)
  })
})
