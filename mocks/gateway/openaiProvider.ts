/**
 * A provider for any OpenAI-compatible chat-completions endpoint (Ollama, llama.cpp's server,
 * vLLM, LM Studio, OpenAI itself), streamed as server-sent events (`data: {...}` lines). It lets a
 * developer run the demo against a local model: set GATEWAY_OPENAI_BASE_URL and
 * GATEWAY_OPENAI_MODEL (see {@link openAiOptionsFromEnv}).
 *
 * The agent's ReAct prompt goes in as the user message, with a system message that asks for the
 * format and a stop sequence at `Observation:`; should a server ignore the stop sequence, the
 * completion is cut there anyway, so a model can never invent a tool's observation.
 */
import { decodeBase64, IMAGE_MIME, sniffImageType } from './imageInfo'
import { isGradePrompt } from './pipeline/grader'
import { httpFailureKind, ProviderError, providerFailure, type ModelProvider } from './providers'

/** Options of {@link createOpenAiProvider}. */
export interface OpenAiProviderOptions {
  /** E.g. `http://127.0.0.1:11434/v1`; requests go to `<baseUrl>/chat/completions`. */
  baseUrl: string
  /** The model name the server knows, e.g. `llama3.2`. */
  model: string
  /** Sent as `Authorization: Bearer <key>` when given; never logged. */
  apiKey?: string | null
  /** Longest wait for the response to start, and between two streamed events. @default 60000 */
  timeoutMs?: number
  /** @default 1024 */
  maxTokens?: number
  /** @default 0, so that the same question gives (nearly) the same answer */
  temperature?: number
  /** @default `openai:<model>` */
  name?: string
  /** The fetch to use (tests, proxies). @default globalThis.fetch */
  fetch?: typeof fetch
}

/** Tells a chat model to continue the ReAct text rather than chat about it. */
export const REACT_SYSTEM_PROMPT = [
  'You are the reasoning engine of an agent. The user message is a prompt that ends in "Thought:".',
  'Continue it with exactly one step, in one of these two forms and nothing else:',
  'Thought: <what to do next>\nAction: <one tool name from the list>\nAction Input: <the input, on one line>',
  'or',
  'Thought: I know the final answer.\nFinal Answer: <the answer in Markdown>',
  'Never write "Observation:" yourself: the tool result is added for you.',
].join('\n')

/** Tells a chat model to grade a draft answer (the rag pipeline), in the grader's one-line format. */
export const GRADE_SYSTEM_PROMPT = 'You are the grader of a retrieval pipeline. Follow the instructions in the user message and reply with exactly one line.'

const OBSERVATION = /(^|\n)[ \t]*Observation:/
/** Long enough to hold a partial "\nObservation:" at the end of the text streamed so far. */
const HOLD_BACK = '\nObservation:'.length

/** One part of a multimodal user message (OpenAI's chat-completions format). */
export type UserContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }

const IMAGE_SECTION = /^(<additional_context category="IMAGE" id="[^"]*"(?: metadata="[^"]*")?>)\n([A-Za-z0-9+/]+={0,2})\n(<\/additional_context>)$/gm

/**
 * The user message for a prompt: the prompt itself, or, when it carries images (category IMAGE),
 * the text with each image's base64 replaced by a pointer and the images as `image_url` parts after it.
 */
export function userContent(prompt: string): string | UserContentPart[] {
  const images: UserContentPart[] = []
  const text = prompt.replace(IMAGE_SECTION, (section, open: string, base64: string, close: string) => {
    const type = sniffImageType(decodeBase64(base64.slice(0, 24)))
    if (!type) return section
    images.push({ type: 'image_url', image_url: { url: `data:${IMAGE_MIME[type]};base64,${base64}` } })
    return `${open}\n[image ${images.length}, attached after this text]\n${close}`
  })
  return images.length ? [{ type: 'text', text }, ...images] : prompt
}

/** An OpenAI-compatible chat-completions endpoint as a provider. */
export function createOpenAiProvider(options: OpenAiProviderOptions): ModelProvider {
  const url = completionsUrl(options.baseUrl)
  const name = options.name ?? `openai:${options.model}`
  const timeoutMs = options.timeoutMs ?? 60_000
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const fail = providerFailure(name)

  return {
    name,
    async *stream(prompt, signal) {
      signal.throwIfAborted()
      const controller = new AbortController()
      let timedOut = false
      let timer: ReturnType<typeof setTimeout> | undefined
      const armTimer = () => {
        clearTimeout(timer)
        timer = setTimeout(() => {
          timedOut = true
          controller.abort(new DOMException('The model provider timed out.', 'TimeoutError'))
        }, timeoutMs)
      }
      const onAbort = () => controller.abort(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      const wrap = (error: unknown): unknown => {
        if (signal.aborted) return signal.reason
        if (timedOut) return fail('unavailable', `no response within ${timeoutMs} ms.`, error)
        if (error instanceof ProviderError) return error
        return fail('unavailable', `the request failed (${error instanceof Error ? error.message : String(error)}).`, error)
      }

      let reader: ReadableStreamDefaultReader<Uint8Array> | null = null
      try {
        armTimer()
        let response: Response
        try {
          response = await doFetch(url, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Accept: 'text/event-stream, application/json',
              ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
            },
            body: JSON.stringify({
              model: options.model,
              stream: true,
              temperature: options.temperature ?? 0,
              max_tokens: options.maxTokens ?? 1024,
              stop: ['Observation:'],
              messages: [
                // The rag pipeline's grading prompt carries its own instructions.
                { role: 'system', content: isGradePrompt(prompt) ? GRADE_SYSTEM_PROMPT : REACT_SYSTEM_PROMPT },
                { role: 'user', content: userContent(prompt) },
              ],
            }),
            signal: controller.signal,
          })
        } catch (error) {
          throw wrap(error)
        }
        if (!response.ok) {
          const detail = await readErrorDetail(response)
          throw fail(httpFailureKind(response.status), `HTTP ${response.status}${detail ? `: ${detail}` : ''}`)
        }
        if (!response.body) throw fail('bad_output', 'the response has no body.')

        const cut = new ObservationCut()
        if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
          // A server that ignored `stream: true` answers with one JSON document.
          const text = await response.text().catch((error: unknown) => {
            throw wrap(error)
          })
          const content = readCompletion(parseJson(text, fail), fail, 'message')
          const delta = cut.push(content ?? '')
          if (delta) yield delta
          const rest = cut.end()
          if (rest) yield rest
          return
        }

        reader = response.body.getReader()
        const events = new SseParser()
        let finished = false
        read: while (true) {
          armTimer()
          let chunk: ReadableStreamReadResult<Uint8Array>
          try {
            chunk = await reader.read()
          } catch (error) {
            throw wrap(error)
          }
          const datas = chunk.done ? events.end() : events.push(chunk.value)
          for (const data of datas) {
            if (data.trim() === '[DONE]') {
              finished = true
              break read
            }
            const event = parseJson(data, fail)
            const content = readCompletion(event, fail, 'delta')
            if (isFinished(event)) finished = true
            if (content) {
              const delta = cut.push(content)
              if (delta) yield delta
              if (cut.stopped) {
                finished = true
                break read
              }
            }
          }
          if (chunk.done) break
        }
        if (!finished) throw fail('bad_output', 'the stream ended before the model finished.')
        const rest = cut.end()
        if (rest) yield rest
      } finally {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        // Stop generating on the server when we stop early (cut, cancel, error).
        if (reader) void reader.cancel().catch(() => {})
        if (!controller.signal.aborted) controller.abort()
      }
    },
  }
}

/** `<baseUrl>/chat/completions`, unless the URL already names that endpoint. */
export function completionsUrl(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '')
  const url = new URL(trimmed)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`The OpenAI base URL must be http(s), got ${url.protocol}`)
  return trimmed.endsWith('/chat/completions') ? trimmed : `${trimmed}/chat/completions`
}

/**
 * Options from the environment, or null when GATEWAY_OPENAI_BASE_URL is unset:
 * GATEWAY_OPENAI_BASE_URL, GATEWAY_OPENAI_MODEL (required with it), GATEWAY_OPENAI_API_KEY,
 * GATEWAY_OPENAI_TIMEOUT_MS, GATEWAY_OPENAI_MAX_TOKENS.
 */
export function openAiOptionsFromEnv(env: Record<string, string | undefined>): OpenAiProviderOptions | null {
  const baseUrl = env.GATEWAY_OPENAI_BASE_URL?.trim()
  if (!baseUrl) return null
  completionsUrl(baseUrl)
  const model = env.GATEWAY_OPENAI_MODEL?.trim()
  if (!model) {
    throw new Error('GATEWAY_OPENAI_MODEL must name the model when GATEWAY_OPENAI_BASE_URL is set (for example llama3.2 for Ollama).')
  }
  const number = (key: string): number | undefined => {
    const raw = env[key]?.trim()
    if (!raw) return undefined
    const value = Number(raw)
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${key} must be a positive number, got "${raw}".`)
    return value
  }
  const options: OpenAiProviderOptions = { baseUrl, model, apiKey: env.GATEWAY_OPENAI_API_KEY?.trim() || null }
  const timeoutMs = number('GATEWAY_OPENAI_TIMEOUT_MS')
  const maxTokens = number('GATEWAY_OPENAI_MAX_TOKENS')
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs
  if (maxTokens !== undefined) options.maxTokens = Math.floor(maxTokens)
  return options
}

type Fail = ReturnType<typeof providerFailure>

function parseJson(text: string, fail: Fail): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw fail('bad_output', 'an event is not valid JSON.', error)
  }
}

/** The text of a chat-completions event (`delta`) or response (`message`); errors in the stream throw. */
function readCompletion(event: unknown, fail: Fail, field: 'delta' | 'message'): string | null {
  if (typeof event !== 'object' || event === null) throw fail('bad_output', 'an event is not a JSON object.')
  const record = event as { error?: unknown; choices?: unknown }
  if (record.error !== undefined) {
    const text = JSON.stringify(record.error) ?? ''
    throw fail(/overload|rate.?limit|capacity|unavailable|timeout/i.test(text) ? 'unavailable' : 'bad_output', `the stream reported an error.`)
  }
  if (!Array.isArray(record.choices)) throw fail('bad_output', 'an event has no "choices".')
  const choice = record.choices[0] as Record<string, unknown> | undefined
  if (!choice) return null
  const part = choice[field] as { content?: unknown } | undefined
  const content = part?.content ?? choice.text
  if (content === undefined || content === null) return null
  if (typeof content !== 'string') throw fail('bad_output', `"${field}.content" is not a string.`)
  return content
}

function isFinished(event: unknown): boolean {
  const choice = (event as { choices?: { finish_reason?: unknown }[] }).choices?.[0]
  return typeof choice?.finish_reason === 'string'
}

async function readErrorDetail(response: Response): Promise<string> {
  try {
    const text = (await response.text()).replace(/\s+/g, ' ').trim()
    return text.length > 300 ? `${text.slice(0, 300)}…` : text
  } catch {
    return ''
  }
}

/**
 * Splits a byte stream into server-sent events and returns their `data` (multi-line data joined
 * with "\n"). Handles LF, CRLF and CR line ends, comments (`:`), other fields, and events split
 * anywhere across network chunks.
 */
export class SseParser {
  private readonly decoder = new TextDecoder()
  private buffer = ''
  private data: string[] = []

  /** The data of every event completed by `bytes`. */
  push(bytes: Uint8Array): string[] {
    this.buffer += this.decoder.decode(bytes, { stream: true })
    return this.drain(false)
  }

  /** The data of the last event, when the stream ended without a blank line after it. */
  end(): string[] {
    this.buffer += this.decoder.decode()
    const events = this.drain(true)
    if (this.data.length > 0) events.push(this.data.join('\n'))
    this.data = []
    return events
  }

  private drain(atEnd: boolean): string[] {
    const events: string[] = []
    while (true) {
      const match = /\r\n|\r|\n/.exec(this.buffer)
      if (!match) break
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && match.index === this.buffer.length - 1 && !atEnd) break
      const line = this.buffer.slice(0, match.index)
      this.buffer = this.buffer.slice(match.index + match[0].length)
      if (line === '') {
        if (this.data.length > 0) events.push(this.data.join('\n'))
        this.data = []
        continue
      }
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      let value = colon < 0 ? '' : line.slice(colon + 1)
      if (value.startsWith(' ')) value = value.slice(1)
      if (field === 'data') this.data.push(value)
    }
    if (atEnd && this.buffer) {
      const line = this.buffer
      this.buffer = ''
      if (line.startsWith('data:')) this.data.push(line.slice(5).replace(/^ /, ''))
    }
    return events
  }
}

/** Passes text through until a line starts with "Observation:", then stops. */
class ObservationCut {
  private pending = ''
  stopped = false

  /** The text that is safe to pass on now. */
  push(text: string): string {
    if (this.stopped) return ''
    this.pending += text
    const match = OBSERVATION.exec(this.pending)
    if (match) {
      this.stopped = true
      const out = this.pending.slice(0, match.index)
      this.pending = ''
      return out
    }
    const safe = Math.max(0, this.pending.length - HOLD_BACK)
    const out = this.pending.slice(0, safe)
    this.pending = this.pending.slice(safe)
    return out
  }

  /** The rest, once the stream is over. */
  end(): string {
    const out = this.stopped ? '' : this.pending
    this.pending = ''
    return out
  }
}
