/** The Node gateway's settings from GATEWAY_* environment variables (see docs/mock-gateway.md). */
import {
  createFlakyProvider,
  createOpenAiProvider,
  createOpenAiTranscriber,
  createScriptedProvider,
  openAiOptionsFromEnv,
  openAiTranscriptionOptionsFromEnv,
  type BreakerOptions,
  type GatewayLimits,
  type GatewayOptions,
  type ModelProvider,
  type PipelineName,
  type Transcriber,
} from './gateway/index'

/** Options for the gateway from GATEWAY_* variables; see docs/mock-gateway.md. */
export function gatewayOptionsFromEnv(env: Record<string, string | undefined>): {
  providers?: ModelProvider[]
  breaker?: Partial<BreakerOptions>
  limits?: Partial<GatewayLimits>
  pipeline?: PipelineName
  transcriber?: Transcriber
} {
  const number = (key: string, { min = 0, integer = false } = {}): number | undefined => {
    const raw = env[key]?.trim()
    if (!raw) return undefined
    const value = Number(raw)
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new Error(`${key} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${raw}".`)
    }
    return value
  }
  const result: ReturnType<typeof gatewayOptionsFromEnv> = {}

  const openAi = openAiOptionsFromEnv(env)
  const failureRate = number('GATEWAY_PROVIDER_FAILURE_RATE')
  if (failureRate !== undefined && failureRate > 1) throw new Error(`GATEWAY_PROVIDER_FAILURE_RATE must be from 0 to 1, got ${failureRate}.`)
  if (openAi || failureRate) {
    const fallback = env.GATEWAY_OPENAI_FALLBACK?.trim() || 'scripted'
    if (fallback !== 'scripted' && fallback !== 'none') throw new Error(`GATEWAY_OPENAI_FALLBACK must be "scripted" or "none", got "${fallback}".`)
    let primary: ModelProvider = openAi ? createOpenAiProvider(openAi) : createScriptedProvider('scripted-primary')
    if (failureRate) primary = createFlakyProvider(primary, { failureRate })
    result.providers = openAi && fallback === 'none' ? [primary] : [primary, createScriptedProvider()]
  }

  const transcription = openAiTranscriptionOptionsFromEnv(env)
  if (transcription) result.transcriber = createOpenAiTranscriber(transcription)

  const breaker: Partial<BreakerOptions> = {}
  const failures = number('GATEWAY_BREAKER_FAILURES', { min: 1, integer: true })
  const windowMs = number('GATEWAY_BREAKER_WINDOW_MS')
  const cooldownMs = number('GATEWAY_BREAKER_COOLDOWN_MS')
  if (failures !== undefined) breaker.failureThreshold = failures
  if (windowMs !== undefined) breaker.windowMs = windowMs
  if (cooldownMs !== undefined) breaker.cooldownMs = cooldownMs
  if (Object.keys(breaker).length) result.breaker = breaker

  const limits: Partial<GatewayLimits> = {}
  if (env.GATEWAY_RATE_LIMIT?.trim() === 'off') {
    limits.rate = null
  } else {
    const perMinute = number('GATEWAY_RATE_LIMIT_PER_MINUTE', { min: 1 })
    const burst = number('GATEWAY_RATE_LIMIT_BURST', { min: 1, integer: true })
    if (perMinute !== undefined || burst !== undefined) {
      limits.rate = { perMinute: perMinute ?? 600, burst: burst ?? 1_000 }
    }
  }
  if (Object.keys(limits).length) result.limits = limits

  const pipeline = env.GATEWAY_PIPELINE?.trim()
  if (pipeline) {
    if (pipeline !== 'react' && pipeline !== 'rag') throw new Error(`GATEWAY_PIPELINE must be "react" or "rag", got "${pipeline}".`)
    result.pipeline = pipeline
  }
  return result
}

/** Tool and chunk timing from GATEWAY_TOOL_MS, GATEWAY_CHUNK_DELAY_MS and GATEWAY_CHUNK_SIZE. */
export function timingFromEnv(): GatewayOptions['timing'] {
  const read = (name: string) => (process.env[name] === undefined ? undefined : Number(process.env[name]))
  const timing = { toolMs: read('GATEWAY_TOOL_MS'), chunkDelayMs: read('GATEWAY_CHUNK_DELAY_MS'), chunkSize: read('GATEWAY_CHUNK_SIZE') }
  return Object.fromEntries(Object.entries(timing).filter(([, value]) => value !== undefined && Number.isFinite(value)))
}
