import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { AiActionAuditRecord, AuditRecord } from './audit'
import type { Gateway } from './index'
import { scriptedCompletion } from './model'
import { completionsUrl, createOpenAiProvider, openAiOptionsFromEnv, REACT_SYSTEM_PROMPT, SseParser, type OpenAiProviderOptions } from './openaiProvider'
import { createScriptedProvider, type ModelProvider } from './providers'
import { ALICE, askAndWait, createTestGateway, toolSteps } from './testHelpers'

/** What the stand-in server received. */
interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: { model: string; stream: boolean; stop: string[]; messages: { role: string; content: string }[] }
}

type Handler = (request: Received, response: ServerResponse, raw: IncomingMessage) => void

/** A small OpenAI-compatible stand-in on 127.0.0.1 with a free port; never the internet. */
interface StandIn {
  baseUrl: string
  requests: Received[]
  handle(handler: Handler): void
  close(): Promise<void>
}

async function startStandIn(initial: Handler): Promise<StandIn> {
  let handler = initial
  const requests: Received[] = []
  const server: Server = createServer((raw, response) => {
    let text = ''
    raw.setEncoding('utf8')
    raw.on('data', (chunk: string) => (text += chunk))
    raw.on('end', () => {
      const request: Received = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, body: JSON.parse(text) as Received['body'] }
      requests.push(request)
      handler(request, response, raw)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    handle: (next) => {
      handler = next
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Streams `text` as chat-completion chunks, a few characters each, then finish_reason and [DONE]. */
function streamText(response: ServerResponse, text: string, options: { done?: boolean; finish?: boolean; lineEnd?: string } = {}): void {
  const lineEnd = options.lineEnd ?? '\n'
  response.writeHead(200, { 'Content-Type': 'text/event-stream' })
  response.write(`: keep-alive comment${lineEnd}${lineEnd}`)
  response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { role: 'assistant' } }] })}${lineEnd}${lineEnd}`)
  for (const piece of text.match(/[\s\S]{1,7}/g) ?? []) {
    const event = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}${lineEnd}${lineEnd}`
    // Split every event across two writes, so that lines arrive in pieces.
    response.write(event.slice(0, 10))
    response.write(event.slice(10))
  }
  if (options.finish !== false) response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}${lineEnd}${lineEnd}`)
  if (options.done !== false) response.write(`data: [DONE]${lineEnd}${lineEnd}`)
  response.end()
}

/** The stand-in "model": the scripted model's completion of the prompt it was sent. */
const scriptedModel: Handler = (request, response) => streamText(response, scriptedCompletion(request.body.messages[1]?.content ?? ''))

async function complete(provider: ModelProvider, prompt = 'prompt', signal = new AbortController().signal): Promise<string> {
  let text = ''
  for await (const delta of provider.stream(prompt, signal)) text += delta
  return text
}

describe('OpenAI-compatible provider', () => {
  let standIn: StandIn | undefined
  let gateway: Gateway | undefined
  let reference: Gateway | undefined
  afterEach(async () => {
    gateway?.dispose()
    reference?.dispose()
    await standIn?.close()
    gateway = reference = standIn = undefined
  })

  function provider(overrides: Partial<OpenAiProviderOptions> = {}): ModelProvider {
    return createOpenAiProvider({ baseUrl: standIn?.baseUrl ?? '', model: 'llama3.2', ...overrides })
  }

  it('posts the ReAct prompt as a streamed chat completion with the model, the key and a stop at Observation', async () => {
    standIn = await startStandIn((_request, response) => streamText(response, 'Thought: I know the final answer.\nFinal Answer: Hi'))
    const text = await complete(provider({ apiKey: 'sk-local' }), 'the prompt\nThought:')

    expect(text).toBe('Thought: I know the final answer.\nFinal Answer: Hi')
    const [request] = standIn.requests
    expect(request).toMatchObject({ method: 'POST', url: '/v1/chat/completions' })
    expect(request?.headers.authorization).toBe('Bearer sk-local')
    expect(request?.body).toMatchObject({
      model: 'llama3.2',
      stream: true,
      stop: ['Observation:'],
      messages: [
        { role: 'system', content: REACT_SYSTEM_PROMPT },
        { role: 'user', content: 'the prompt\nThought:' },
      ],
    })
  })

  it('sends no Authorization header without a key', async () => {
    standIn = await startStandIn((_request, response) => streamText(response, 'Hi'))
    await complete(provider())
    expect(standIn.requests[0]?.headers.authorization).toBeUndefined()
  })

  it('runs the whole ReAct loop with the gateway: tool step, observation, grounded final answer', async () => {
    standIn = await startStandIn(scriptedModel)
    gateway = createTestGateway({ providers: [provider()] })
    reference = createTestGateway()
    const question = { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/1' }

    const turn = await askAndWait(gateway, ALICE, question)
    const expected = await askAndWait(reference, ALICE, question)

    expect(turn.answer.errors).toEqual([])
    expect(toolSteps(turn.messages)).toEqual(['Issue Reader'])
    expect(turn.answer.content).toBe(expected.answer.content)
    expect(standIn.requests).toHaveLength(2)
    expect(standIn.requests[1]?.body.messages[1]?.content).toContain('Observation: <observation>')
  })

  it('cuts a completion where the model starts inventing an observation, even if the server ignores the stop', async () => {
    standIn = await startStandIn((_request, response) =>
      streamText(response, 'Thought: read it\nAction: issue_reader\nAction Input: #1\nObservation: made up\nFinal Answer: wrong'),
    )
    expect(await complete(provider())).toBe('Thought: read it\nAction: issue_reader\nAction Input: #1')
  })

  it('reads CRLF line ends and events split across network chunks', async () => {
    standIn = await startStandIn((_request, response) => streamText(response, 'Final Answer: línea ✓ done', { lineEnd: '\r\n' }))
    expect(await complete(provider())).toBe('Final Answer: línea ✓ done')
  })

  it('accepts a server that answers with one JSON document instead of a stream', async () => {
    standIn = await startStandIn((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'Final Answer: whole' }, finish_reason: 'stop' }] }))
    })
    expect(await complete(provider())).toBe('Final Answer: whole')
  })

  it.each([
    [500, 'A1008'],
    [503, 'A1008'],
    [429, 'A1008'],
    [408, 'A1008'],
    [400, 'A1001'],
    [401, 'A1001'],
    [404, 'A1001'],
  ])('maps HTTP %i to %s', async (status, code) => {
    standIn = await startStandIn((_request, response) => {
      response.writeHead(status, { 'Content-Type': 'application/json' })
      response.end(JSON.stringify({ error: { message: 'nope' } }))
    })
    await expect(complete(provider())).rejects.toMatchObject({ name: 'ProviderError', code })
  })

  it.each([
    ['an event that is not JSON', (response: ServerResponse) => response.end('data: {"choices": [\n\n')],
    ['an error event in the stream', (response: ServerResponse) => response.end(`data: ${JSON.stringify({ error: { message: 'model crashed' } })}\n\n`)],
    ['a stream that ends before the model finished', (response: ServerResponse) => response.end(`data: ${JSON.stringify({ choices: [{ delta: { content: 'Thou' } }] })}\n\n`)],
    ['content that is not a string', (response: ServerResponse) => response.end(`data: ${JSON.stringify({ choices: [{ delta: { content: 42 } }] })}\n\n`)],
  ])('answers A6000 for %s', async (_case, write) => {
    standIn = await startStandIn((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' })
      write(response)
    })
    await expect(complete(provider())).rejects.toMatchObject({ code: 'A6000' })
  })

  it('answers A1008 when nothing listens on the port', async () => {
    standIn = await startStandIn(scriptedModel)
    const baseUrl = standIn.baseUrl
    await standIn.close()
    standIn = undefined
    await expect(complete(createOpenAiProvider({ baseUrl, model: 'm' }))).rejects.toMatchObject({ code: 'A1008', kind: 'unavailable' })
  })

  it('answers A1008 when the server does not answer in time', async () => {
    standIn = await startStandIn(() => {
      // Never answers.
    })
    await expect(complete(provider({ timeoutMs: 50 }))).rejects.toMatchObject({ code: 'A1008', message: expect.stringContaining('no response within 50 ms') })
  })

  it('stops the HTTP request when the chat request is cancelled', async () => {
    let requestClosed!: () => void
    const closed = new Promise<void>((resolve) => (requestClosed = resolve))
    let streaming!: () => void
    const started = new Promise<void>((resolve) => (streaming = resolve))
    standIn = await startStandIn((_request, response, raw) => {
      raw.socket.once('close', () => requestClosed())
      response.writeHead(200, { 'Content-Type': 'text/event-stream' })
      response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'Thought: thinking for a long time' } }] })}\n\n`, () => streaming())
    })
    const controller = new AbortController()
    const pending = complete(provider(), 'prompt', controller.signal)
    await started
    controller.abort(new DOMException('cancelled', 'AbortError'))

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    await closed
  })

  it('rejects with the cancellation reason while waiting for the response', async () => {
    let received!: () => void
    const gotRequest = new Promise<void>((resolve) => (received = resolve))
    standIn = await startStandIn(() => received())
    const controller = new AbortController()
    const pending = complete(provider(), 'prompt', controller.signal)
    await gotRequest
    controller.abort(new DOMException('cancelled', 'AbortError'))
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('falls back to the scripted model when the local server is down, and the audit trail says so', async () => {
    standIn = await startStandIn(scriptedModel)
    const baseUrl = standIn.baseUrl
    await standIn.close()
    standIn = undefined
    const records: AuditRecord[] = []
    gateway = createTestGateway({
      providers: [createOpenAiProvider({ baseUrl, model: 'm' }), createScriptedProvider()],
      audit: (record) => records.push(record),
    })
    const turn = await askAndWait(gateway, ALICE, { content: 'What is issue #1 about?' })

    expect(turn.answer.errors).toEqual([])
    expect(turn.answer.content).toContain('Checkout button unresponsive on Safari')
    const record = records.find((candidate): candidate is AiActionAuditRecord => candidate.event === 'ai_action')
    expect(record).toMatchObject({ providers: ['scripted', 'scripted'], failovers: 2, outcome: 'answered' })
  })
})

describe('SseParser', () => {
  const encode = (text: string) => new TextEncoder().encode(text)

  it('joins multi-line data, skips comments and other fields, and handles a CRLF split between chunks', () => {
    const parser = new SseParser()
    expect(parser.push(encode(': hi\nevent: x\ndata: a\ndata: b\r'))).toEqual([])
    expect(parser.push(encode('\n\r\ndata: c'))).toEqual(['a\nb'])
    expect(parser.end()).toEqual(['c'])
  })

  it('decodes UTF-8 split inside a character', () => {
    const bytes = encode('data: é✓\n\n')
    const parser = new SseParser()
    expect([...parser.push(bytes.slice(0, 7)), ...parser.push(bytes.slice(7))]).toEqual(['é✓'])
  })
})

describe('configuration', () => {
  it('builds the endpoint from a base URL with or without a slash or the full path', () => {
    expect(completionsUrl('http://127.0.0.1:11434/v1/')).toBe('http://127.0.0.1:11434/v1/chat/completions')
    expect(completionsUrl('http://127.0.0.1:8080/v1/chat/completions')).toBe('http://127.0.0.1:8080/v1/chat/completions')
    expect(() => completionsUrl('ftp://host')).toThrow(/http/)
    expect(() => completionsUrl('not a url')).toThrow()
  })

  it('reads GATEWAY_OPENAI_* and is off without a base URL', () => {
    expect(openAiOptionsFromEnv({})).toBeNull()
    expect(
      openAiOptionsFromEnv({
        GATEWAY_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
        GATEWAY_OPENAI_MODEL: 'llama3.2',
        GATEWAY_OPENAI_API_KEY: 'k',
        GATEWAY_OPENAI_TIMEOUT_MS: '5000',
        GATEWAY_OPENAI_MAX_TOKENS: '512',
      }),
    ).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2', apiKey: 'k', timeoutMs: 5000, maxTokens: 512 })
    expect(() => openAiOptionsFromEnv({ GATEWAY_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toThrow(/GATEWAY_OPENAI_MODEL/)
    expect(() => openAiOptionsFromEnv({ GATEWAY_OPENAI_BASE_URL: 'http://x/v1', GATEWAY_OPENAI_MODEL: 'm', GATEWAY_OPENAI_TIMEOUT_MS: 'soon' })).toThrow(
      /GATEWAY_OPENAI_TIMEOUT_MS/,
    )
  })
})
