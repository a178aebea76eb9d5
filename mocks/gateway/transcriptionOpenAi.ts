/**
 * Speech-to-text through an OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI's Whisper,
 * or a local server such as speaches, LocalAI or whisper.cpp's server) for `duoChatTranscribe`.
 * Configured like the chat provider (`openaiProvider.ts`): see {@link openAiTranscriptionOptionsFromEnv}.
 */
import { httpFailureKind, providerFailure } from './providers'
import type { Transcriber } from './transcription'

/** Options of {@link createOpenAiTranscriber}. */
export interface OpenAiTranscriberOptions {
  /** E.g. `https://api.openai.com/v1`; requests go to `<baseUrl>/audio/transcriptions`. */
  baseUrl: string
  /** @default 'whisper-1' */
  model?: string
  /** Sent as `Authorization: Bearer <key>` when given; never logged. */
  apiKey?: string | null
  /** Longest wait for the whole transcription. @default 60000 */
  timeoutMs?: number
  /** @default `openai-transcription:<model>` */
  name?: string
  /** The fetch to use (tests, proxies). @default globalThis.fetch */
  fetch?: typeof fetch
}

export const DEFAULT_TRANSCRIPTION_MODEL = 'whisper-1'

/** `<baseUrl>/audio/transcriptions`, unless the URL already names that endpoint. */
export function transcriptionsUrl(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '')
  const url = new URL(trimmed)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`The OpenAI transcription base URL must be http(s), got ${url.protocol}`)
  return trimmed.endsWith('/audio/transcriptions') ? trimmed : `${trimmed}/audio/transcriptions`
}

/** The file name the endpoint gets: servers pick the decoder by its extension. */
function fileName(mimeType: string): string {
  const type = mimeType.split(';')[0]?.trim().toLowerCase() ?? ''
  const extension = { 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/wave': 'wav', 'audio/mp4': 'mp4', 'audio/mpeg': 'mp3' }[type]
  return `recording.${extension ?? 'webm'}`
}

/** An OpenAI-compatible transcription endpoint as the gateway's {@link Transcriber}. */
export function createOpenAiTranscriber(options: OpenAiTranscriberOptions): Transcriber {
  const url = transcriptionsUrl(options.baseUrl)
  const model = options.model ?? DEFAULT_TRANSCRIPTION_MODEL
  const name = options.name ?? `openai-transcription:${model}`
  const timeoutMs = options.timeoutMs ?? 60_000
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const fail = providerFailure(name)

  return {
    name,
    async transcribe(audio, mimeType, signal) {
      signal.throwIfAborted()
      const controller = new AbortController()
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        controller.abort(new DOMException('The transcription timed out.', 'TimeoutError'))
      }, timeoutMs)
      const onAbort = () => controller.abort(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        const form = new FormData()
        form.append('file', new Blob([new Uint8Array(audio)], { type: mimeType || 'application/octet-stream' }), fileName(mimeType))
        form.append('model', model)
        form.append('response_format', 'json')
        let response: Response
        let body: string
        try {
          // No Content-Type of our own: fetch writes multipart/form-data with its boundary.
          response = await doFetch(url, {
            method: 'POST',
            headers: { Accept: 'application/json', ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}) },
            body: form,
            signal: controller.signal,
          })
          body = await response.text()
        } catch (error) {
          if (signal.aborted) throw signal.reason
          if (timedOut) throw fail('unavailable', `no transcription within ${timeoutMs} ms.`, error)
          throw fail('unavailable', `the request failed (${error instanceof Error ? error.message : String(error)}).`, error)
        }
        if (!response.ok) {
          const detail = body.replace(/\s+/g, ' ').trim().slice(0, 300)
          throw fail(httpFailureKind(response.status), `HTTP ${response.status}${detail ? `: ${detail}` : ''}`)
        }
        let parsed: unknown
        try {
          parsed = JSON.parse(body)
        } catch (error) {
          throw fail('bad_output', 'the response is not JSON.', error)
        }
        const text = (parsed as { text?: unknown } | null)?.text
        if (typeof text !== 'string') throw fail('bad_output', 'the response has no "text".')
        return text
      } finally {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
      }
    },
  }
}

/**
 * Options from the environment, or null when transcription through an endpoint is not configured.
 * GATEWAY_OPENAI_TRANSCRIPTION_BASE_URL or GATEWAY_OPENAI_TRANSCRIPTION_MODEL turns it on: the
 * endpoint is the first, else GATEWAY_OPENAI_BASE_URL; the model the second, else `whisper-1`; the
 * key and the timeout are the chat provider's (GATEWAY_OPENAI_API_KEY, GATEWAY_OPENAI_TIMEOUT_MS).
 */
export function openAiTranscriptionOptionsFromEnv(env: Record<string, string | undefined>): OpenAiTranscriberOptions | null {
  const ownBaseUrl = env.GATEWAY_OPENAI_TRANSCRIPTION_BASE_URL?.trim()
  const model = env.GATEWAY_OPENAI_TRANSCRIPTION_MODEL?.trim()
  if (!ownBaseUrl && !model) return null
  const baseUrl = ownBaseUrl || env.GATEWAY_OPENAI_BASE_URL?.trim()
  if (!baseUrl) {
    throw new Error('GATEWAY_OPENAI_TRANSCRIPTION_MODEL needs an endpoint: set GATEWAY_OPENAI_TRANSCRIPTION_BASE_URL (or GATEWAY_OPENAI_BASE_URL), e.g. https://api.openai.com/v1.')
  }
  transcriptionsUrl(baseUrl)
  const options: OpenAiTranscriberOptions = { baseUrl, model: model || DEFAULT_TRANSCRIPTION_MODEL, apiKey: env.GATEWAY_OPENAI_API_KEY?.trim() || null }
  const rawTimeout = env.GATEWAY_OPENAI_TIMEOUT_MS?.trim()
  if (rawTimeout) {
    const timeoutMs = Number(rawTimeout)
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`GATEWAY_OPENAI_TIMEOUT_MS must be a positive number, got "${rawTimeout}".`)
    options.timeoutMs = timeoutMs
  }
  return options
}
