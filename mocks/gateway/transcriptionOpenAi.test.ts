import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { gatewayOptionsFromEnv } from '../gatewayEnv'
import type { Gateway } from './index'
import { ALICE, createTestGateway, run } from './testHelpers'
import { TRANSCRIPTION_FIXTURES, toneWav } from './transcription'
import { createOpenAiTranscriber, openAiTranscriptionOptionsFromEnv, transcriptionsUrl, type OpenAiTranscriberOptions } from './transcriptionOpenAi'

/** What the stand-in received, its multipart body read back as a form. */
interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  form: FormData
}

type Handler = (request: Received, response: ServerResponse) => void

/** A small stand-in for an OpenAI-compatible `/audio/transcriptions` on 127.0.0.1; never the internet. */
async function startStandIn(handler: Handler) {
  const requests: Received[] = []
  const server: Server = createServer((raw, response) => {
    const chunks: Buffer[] = []
    raw.on('data', (chunk: Buffer) => chunks.push(chunk))
    raw.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks)
        const form = await new Request('http://stand-in.test/', { method: 'POST', headers: { 'content-type': raw.headers['content-type'] ?? '' }, body }).formData()
        const request: Received = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, form }
        requests.push(request)
        handler(request, response)
      })()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const json = (status: number, body: unknown) => (_request: Received, response: ServerResponse) => {
  response.writeHead(status, { 'Content-Type': 'application/json' })
  response.end(JSON.stringify(body))
}

const TRANSCRIBE = `mutation ($input: DuoChatTranscribeInput!) { duoChatTranscribe(input: $input) { text errors } }`

/** A recording that is no fixture clip: only a real speech-to-text service knows what it says. */
const RECORDING = toneWav(523, 300)

async function transcribeThrough(gateway: Gateway, audio: Uint8Array, mimeType = 'audio/webm;codecs=opus') {
  const result = await run(gateway, ALICE, TRANSCRIBE, { input: { audio: Buffer.from(audio).toString('base64'), mimeType } })
  return (result.data as { duoChatTranscribe: { text: string | null; errors: string[] } }).duoChatTranscribe
}

describe('OpenAI-compatible transcription', () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>> | undefined
  let gateway: Gateway | undefined
  afterEach(async () => {
    gateway?.dispose()
    await standIn?.close()
    gateway = standIn = undefined
    vi.restoreAllMocks()
  })

  function gatewayWith(overrides: Partial<OpenAiTranscriberOptions> = {}): Gateway {
    gateway = createTestGateway({ transcriber: createOpenAiTranscriber({ baseUrl: standIn?.baseUrl ?? '', ...overrides }) })
    return gateway
  }

  it('posts the recording as multipart/form-data to /audio/transcriptions, and the text comes back through duoChatTranscribe', async () => {
    standIn = await startStandIn(json(200, { text: ' How do I rebase a merge request? ' }))
    const result = await transcribeThrough(gatewayWith({ apiKey: 'sk-local' }), RECORDING)

    expect(result).toEqual({ text: 'How do I rebase a merge request?', errors: [] })
    const [request] = standIn.requests
    expect(request).toMatchObject({ method: 'POST', url: '/v1/audio/transcriptions' })
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(request?.headers.authorization).toBe('Bearer sk-local')
    expect(request?.form.get('model')).toBe('whisper-1')
    expect(request?.form.get('response_format')).toBe('json')
    const file = request?.form.get('file') as File
    expect(file.name).toBe('recording.webm')
    expect(file.type).toBe('audio/webm;codecs=opus')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(RECORDING)
  })

  it('sends the configured model, and no Authorization header without a key', async () => {
    standIn = await startStandIn(json(200, { text: 'Summarize the merge request' }))
    expect(await transcribeThrough(gatewayWith({ model: 'Systran/faster-whisper-small' }), RECORDING, 'audio/wav')).toEqual({ text: 'Summarize the merge request', errors: [] })
    expect(standIn.requests[0]?.form.get('model')).toBe('Systran/faster-whisper-small')
    expect((standIn.requests[0]?.form.get('file') as File).name).toBe('recording.wav')
    expect(standIn.requests[0]?.headers.authorization).toBeUndefined()
  })

  it('keeps the fixture clips’ known text without asking the service, so tests answer the same', async () => {
    standIn = await startStandIn(json(200, { text: 'something else' }))
    const fixture = TRANSCRIPTION_FIXTURES[0]!
    expect(await transcribeThrough(gatewayWith(), fixture.clip(), 'audio/wav')).toEqual({ text: fixture.text, errors: [] })
    expect(standIn.requests).toHaveLength(0)
  })

  it('refuses a recording over maxAudioBytes (M1005) before sending it', async () => {
    standIn = await startStandIn(json(200, { text: 'never' }))
    gateway = createTestGateway({ limits: { maxAudioBytes: 1_000 }, transcriber: createOpenAiTranscriber({ baseUrl: standIn.baseUrl }) })
    expect((await transcribeThrough(gateway, RECORDING)).errors[0]).toMatch(/over the limit of 1,000\. Record a shorter question\. Error code: M1005$/)
    expect(standIn.requests).toHaveLength(0)
  })

  it.each([
    [503, 'A1008', "I could not reach the speech-to-text service. Try again, or type your question. Error code: A1008"],
    [429, 'A1008', "I could not reach the speech-to-text service. Try again, or type your question. Error code: A1008"],
    [401, 'A1001', 'The speech-to-text service refused the recording. Type your question instead. Error code: A1001'],
    [400, 'A1001', 'The speech-to-text service refused the recording. Type your question instead. Error code: A1001'],
  ])('maps HTTP %i to %s, with a sentence that says what to do', async (status, _code, message) => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    standIn = await startStandIn(json(status, { error: { message: 'nope' } }))
    expect(await transcribeThrough(gatewayWith(), RECORDING)).toEqual({ text: null, errors: [message] })
  })

  it.each([
    ['a response that is not JSON', (_request: Received, response: ServerResponse) => response.end('<html>oops</html>'), 'A6000'],
    ['a response without text', json(200, { segments: [] }), 'A6000'],
    ['an empty transcript', json(200, { text: '   ' }), 'A6001'],
  ])('answers "could not transcribe" for %s (%s)', async (_case, handler, code) => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    standIn = await startStandIn(handler)
    const result = await transcribeThrough(gatewayWith(), RECORDING)
    expect(result.text).toBeNull()
    expect(result.errors).toEqual([`I could not transcribe the recording. Speak again, or type your question. Error code: ${code}`])
  })

  it('answers A1008 when nothing listens, and when the service does not answer in time', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    standIn = await startStandIn(() => {
      // Never answers.
    })
    const slow = createOpenAiTranscriber({ baseUrl: standIn.baseUrl, timeoutMs: 50 })
    await expect(slow.transcribe(RECORDING, 'audio/wav', new AbortController().signal)).rejects.toMatchObject({ code: 'A1008', message: expect.stringContaining('no transcription within 50 ms') })
    const baseUrl = standIn.baseUrl
    await standIn.close()
    standIn = undefined
    await expect(createOpenAiTranscriber({ baseUrl }).transcribe(RECORDING, 'audio/wav', new AbortController().signal)).rejects.toMatchObject({ code: 'A1008', kind: 'unavailable' })
  })

  it('stops the request when the caller aborts, with the caller’s reason', async () => {
    standIn = await startStandIn(() => {
      // Never answers.
    })
    const controller = new AbortController()
    const pending = createOpenAiTranscriber({ baseUrl: standIn.baseUrl }).transcribe(RECORDING, 'audio/wav', controller.signal)
    await vi.waitFor(() => expect(standIn?.requests).toHaveLength(1))
    controller.abort(new Error('cancelled by the test'))
    await expect(pending).rejects.toThrow('cancelled by the test')
  })
})

describe('transcription settings from the environment', () => {
  it('is off unless a transcription model or base URL is set', () => {
    expect(openAiTranscriptionOptionsFromEnv({})).toBeNull()
    expect(openAiTranscriptionOptionsFromEnv({ GATEWAY_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', GATEWAY_OPENAI_MODEL: 'llama3.2' })).toBeNull()
    expect(gatewayOptionsFromEnv({}).transcriber).toBeUndefined()
  })

  it('reads the model (default whisper-1), the endpoint (else the chat one), the key and the timeout', () => {
    expect(
      openAiTranscriptionOptionsFromEnv({
        GATEWAY_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
        GATEWAY_OPENAI_TRANSCRIPTION_MODEL: 'whisper-large-v3',
        GATEWAY_OPENAI_API_KEY: ' sk-x ',
        GATEWAY_OPENAI_TIMEOUT_MS: '5000',
      }),
    ).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'whisper-large-v3', apiKey: 'sk-x', timeoutMs: 5000 })
    expect(openAiTranscriptionOptionsFromEnv({ GATEWAY_OPENAI_TRANSCRIPTION_BASE_URL: 'https://api.openai.com/v1' })).toEqual({
      baseUrl: 'https://api.openai.com/v1',
      model: 'whisper-1',
      apiKey: null,
    })
    expect(gatewayOptionsFromEnv({ GATEWAY_OPENAI_TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:8000/v1' }).transcriber?.name).toBe('openai-transcription:whisper-1')
  })

  it.each([
    [{ GATEWAY_OPENAI_TRANSCRIPTION_MODEL: 'whisper-1' }, /GATEWAY_OPENAI_TRANSCRIPTION_BASE_URL/],
    [{ GATEWAY_OPENAI_TRANSCRIPTION_BASE_URL: 'ftp://host/v1' }, /must be http\(s\)/],
    [{ GATEWAY_OPENAI_TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:8000/v1', GATEWAY_OPENAI_TIMEOUT_MS: 'soon' }, /GATEWAY_OPENAI_TIMEOUT_MS/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => openAiTranscriptionOptionsFromEnv(env)).toThrow(message)
  })

  it('builds the endpoint URL once', () => {
    expect(transcriptionsUrl('http://127.0.0.1:8000/v1/')).toBe('http://127.0.0.1:8000/v1/audio/transcriptions')
    expect(transcriptionsUrl('http://127.0.0.1:8000/v1/audio/transcriptions')).toBe('http://127.0.0.1:8000/v1/audio/transcriptions')
  })
})
