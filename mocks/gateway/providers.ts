/**
 * Model providers: where the agent's completions come from. The scripted model is one provider;
 * an OpenAI-compatible endpoint (`openaiProvider.ts`) is another. Providers form a fallback chain,
 * each behind its own circuit breaker, so that a failing provider is skipped quickly and retried
 * after a cool-down, and every question is still answered while any provider works.
 *
 * Provider failures end up as GitLab's codes (see `errors.ts`):
 * - `unavailable` (connection refused, timeout, HTTP 408/429/5xx, every circuit open) → A1008;
 * - `rejected` (HTTP 4xx: bad request, bad key, unknown model) → A1001;
 * - `bad_output` (a stream that breaks off or can't be read, or any other provider crash) → A6000.
 */
import { createScriptedModel, type ChatModel, type ModelCallObserver } from './model'

/** A named model; `stream` as in {@link ChatModel}. */
export interface ModelProvider extends ChatModel {
  /** Shown in the audit log and in {@link ProviderChain.status}; no secrets. */
  readonly name: string
}

/** Why a provider failed; decides the error code. */
export type ProviderFailureKind = 'unavailable' | 'rejected' | 'bad_output'

const CODE_OF: Record<ProviderFailureKind, string> = { unavailable: 'A1008', rejected: 'A1001', bad_output: 'A6000' }

/** A provider failure with the GitLab code it maps to. Messages are for logs, never for users. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError'
  readonly kind: ProviderFailureKind
  /** A1008, A1001 or A6000. */
  readonly code: string
  /** The provider that failed, when known. */
  readonly provider: string | null

  constructor(kind: ProviderFailureKind, message: string, options: { provider?: string | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.kind = kind
    this.code = CODE_OF[kind]
    this.provider = options.provider ?? null
  }
}

/** Makes a provider's errors, each message prefixed with the provider's name. */
export function providerFailure(provider: string) {
  return (kind: ProviderFailureKind, message: string, cause?: unknown): ProviderError =>
    new ProviderError(kind, `${provider}: ${message}`, { provider, cause })
}

/** The failure an HTTP error status means: busy or down (408, 429, 5xx) is unavailable, the rest rejected. */
export function httpFailureKind(status: number): ProviderFailureKind {
  return status === 408 || status === 429 || status >= 500 ? 'unavailable' : 'rejected'
}

/** Any error a provider threw, as a {@link ProviderError}; unknown errors count as bad output (A6000). */
export function toProviderError(error: unknown, provider: string): ProviderError {
  if (error instanceof ProviderError) return error
  return new ProviderError('bad_output', `Provider "${provider}" failed: ${error instanceof Error ? error.message : String(error)}`, {
    provider,
    cause: error,
  })
}

/** The scripted, deterministic model as a provider. */
export function createScriptedProvider(name = 'scripted'): ModelProvider {
  const model = createScriptedModel()
  return { name, stream: (prompt, signal) => model.stream(prompt, signal) }
}

/** Any {@link ChatModel} as a provider. */
export function asProvider(model: ChatModel, name: string): ModelProvider {
  return 'name' in model && typeof (model as ModelProvider).name === 'string'
    ? (model as ModelProvider)
    : { name, stream: (prompt, signal, observer) => model.stream(prompt, signal, observer) }
}

/** How {@link createFlakyProvider} fails. */
export interface FlakyOptions {
  /**
   * Share of calls that fail, from 0 to 1, spread evenly and deterministically: with 0.5 every
   * second call fails (calls 2, 4, 6, ...), with 0.25 every fourth.
   */
  failureRate?: number
  /** Decides per call instead (`call` counts from 1); overrides `failureRate`. */
  failWhen?: (call: number) => boolean
  /** @default 'unavailable' (A1008) */
  kind?: ProviderFailureKind
  /** Fail after streaming this many deltas instead of before the first. @default 0 */
  afterDeltas?: number
  /** @default `flaky <inner name>` */
  name?: string
}

/** A provider that fails some calls on purpose: chaos tests and `GATEWAY_PROVIDER_FAILURE_RATE`. */
export interface FlakyProvider extends ModelProvider {
  /** Calls so far, and how many of them failed. */
  readonly calls: number
  readonly failures: number
}

/** Wraps `inner` so that it fails deterministically (see {@link FlakyOptions}). */
export function createFlakyProvider(inner: ModelProvider, options: FlakyOptions = {}): FlakyProvider {
  const rate = options.failureRate ?? 0.5
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`failureRate must be from 0 to 1, got ${rate}.`)
  const failWhen = options.failWhen ?? ((call: number) => Math.floor(call * rate) > Math.floor((call - 1) * rate))
  const kind = options.kind ?? 'unavailable'
  const afterDeltas = options.afterDeltas ?? 0
  const name = options.name ?? `flaky ${inner.name}`
  let calls = 0
  let failures = 0
  return {
    name,
    get calls() {
      return calls
    },
    get failures() {
      return failures
    },
    async *stream(prompt, signal) {
      calls += 1
      const fail = failWhen(calls)
      if (fail) failures += 1
      let yielded = 0
      if (fail && afterDeltas === 0) throw new ProviderError(kind, `Injected failure of call ${calls}.`, { provider: name })
      for await (const delta of inner.stream(prompt, signal)) {
        yield delta
        yielded += 1
        if (fail && yielded >= afterDeltas) throw new ProviderError(kind, `Injected failure of call ${calls} mid-stream.`, { provider: name })
      }
      if (fail) throw new ProviderError(kind, `Injected failure of call ${calls} at the end of the stream.`, { provider: name })
    },
  }
}

/** When a provider's circuit opens and when it is tried again. */
export interface BreakerOptions {
  /** Failures within `windowMs` that open the circuit. @default 5 */
  failureThreshold: number
  /** @default 30000 */
  windowMs: number
  /** How long an open circuit refuses calls before one trial call (half-open). @default 15000 */
  cooldownMs: number
}

export const DEFAULT_BREAKER: Readonly<BreakerOptions> = { failureThreshold: 5, windowMs: 30_000, cooldownMs: 15_000 }

export type BreakerState = 'closed' | 'open' | 'half-open'

/**
 * A circuit breaker: closed, it lets calls through and counts failures in a sliding window
 * (successes in between don't reset the count); `failureThreshold` failures open it. Open, it refuses calls until `cooldownMs` have passed,
 * then lets exactly one trial call through (half-open): success closes it, failure opens it again.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed'
  private failures: number[] = []
  private openedAt = 0
  private trialInFlight = false
  private readonly options: BreakerOptions
  private readonly onChange: (state: BreakerState) => void

  constructor(options: Partial<BreakerOptions> = {}, onChange: (state: BreakerState) => void = () => {}) {
    this.options = { ...DEFAULT_BREAKER, ...options }
    const { failureThreshold, windowMs, cooldownMs } = this.options
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) throw new RangeError(`breaker.failureThreshold must be a positive integer, got ${failureThreshold}.`)
    for (const [key, value] of Object.entries({ windowMs, cooldownMs })) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`breaker.${key} must be a number of milliseconds >= 0, got ${value}.`)
    }
    this.onChange = onChange
  }

  /** The state as of `now` (an open circuit whose cool-down is over reads as half-open). */
  state(now: number): BreakerState {
    if (this.current === 'open' && now - this.openedAt >= this.options.cooldownMs) this.set('half-open')
    return this.current
  }

  /** Failures counted in the current window. */
  recentFailures(now: number): number {
    this.prune(now)
    return this.failures.length
  }

  /** Whether a call may go through now; in half-open, only the first caller gets the trial. */
  tryAcquire(now: number): boolean {
    const state = this.state(now)
    if (state === 'closed') return true
    if (state === 'open' || this.trialInFlight) return false
    this.trialInFlight = true
    return true
  }

  /**
   * A call that went through succeeded. A successful trial closes the circuit; while closed,
   * successes don't wipe the window, so a provider failing every other call still trips it.
   */
  success(): void {
    if (this.current === 'closed') return
    this.trialInFlight = false
    this.failures = []
    this.set('closed')
  }

  /** A call that went through failed. */
  failure(now: number): void {
    if (this.current === 'half-open') {
      this.trialInFlight = false
      this.open(now)
      return
    }
    this.failures.push(now)
    this.prune(now)
    if (this.current === 'closed' && this.failures.length >= this.options.failureThreshold) this.open(now)
  }

  /** A call that went through was cancelled: it proves nothing either way. */
  release(): void {
    this.trialInFlight = false
  }

  /** Back to closed with no failures. */
  reset(): void {
    this.failures = []
    this.trialInFlight = false
    this.set('closed')
  }

  private open(now: number): void {
    this.openedAt = now
    this.failures = []
    this.set('open')
  }

  private prune(now: number): void {
    const since = now - this.options.windowMs
    while (this.failures.length > 0 && (this.failures[0] ?? 0) <= since) this.failures.shift()
  }

  private set(state: BreakerState): void {
    if (this.current === state) return
    this.current = state
    this.onChange(state)
  }
}

/** One provider of a chain as {@link ProviderChain.status} reports it. */
export interface ProviderStatus {
  name: string
  state: BreakerState
  /** Failures in the breaker's current window. */
  recentFailures: number
}

/** Options of {@link createProviderChain}. */
export interface ProviderChainOptions {
  /** Breaker settings for every provider; `false` turns breaking off. */
  breaker?: Partial<BreakerOptions> | false
  /** Milliseconds clock. @default Date.now */
  now?: () => number
  /** Called when a provider's circuit changes state. */
  onBreakerChange?: (provider: string, state: BreakerState) => void
}

/** Providers in order of preference, as one model. */
export interface ProviderChain extends ChatModel {
  readonly providers: readonly ModelProvider[]
  /** Each provider's circuit. */
  status(): ProviderStatus[]
  /** Closes every circuit. */
  reset(): void
}

/**
 * Tries the providers in order, skipping those whose circuit is open, until one completes.
 *
 * Each completion is buffered before it is passed on: the agent needs whole completions to read
 * the ReAct format anyway, and a provider that breaks off mid-stream can then be replaced by the
 * next one without a half answer leaking through. When every provider fails, the last failure's
 * code wins (A1008 when all circuits were open).
 */
export function createProviderChain(providers: readonly ModelProvider[], options: ProviderChainOptions = {}): ProviderChain {
  if (providers.length === 0) throw new RangeError('A provider chain needs at least one provider.')
  const now = options.now ?? Date.now
  const breakers = providers.map((provider) =>
    options.breaker === false ? null : new CircuitBreaker(options.breaker, (state) => options.onBreakerChange?.(provider.name, state)),
  )

  return {
    providers,
    status() {
      const at = now()
      return providers.map((provider, index) => {
        const breaker = breakers[index]
        return { name: provider.name, state: breaker?.state(at) ?? 'closed', recentFailures: breaker?.recentFailures(at) ?? 0 }
      })
    },
    reset() {
      for (const breaker of breakers) breaker?.reset()
    },
    async *stream(prompt: string, signal: AbortSignal, observer?: ModelCallObserver) {
      let lastFailure: ProviderError | null = null
      for (const [index, provider] of providers.entries()) {
        const breaker = breakers[index] ?? null
        if (breaker && !breaker.tryAcquire(now())) {
          observer?.skipped?.(provider.name)
          continue
        }
        const deltas: string[] = []
        try {
          for await (const delta of provider.stream(prompt, signal)) {
            signal.throwIfAborted()
            deltas.push(delta)
          }
          signal.throwIfAborted()
        } catch (error) {
          if (signal.aborted) {
            breaker?.release()
            throw signal.reason
          }
          lastFailure = toProviderError(error, provider.name)
          breaker?.failure(now())
          observer?.failed?.(provider.name, lastFailure.code)
          continue
        }
        breaker?.success()
        observer?.answeredBy?.(provider.name)
        yield* deltas
        return
      }
      throw lastFailure ?? new ProviderError('unavailable', 'Every model provider is unavailable (all circuits open).')
    },
  }
}
