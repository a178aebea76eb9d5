/**
 * The engine's instrumentation hook: what happens to each chat request (accepted or refused, its
 * agent steps, tool runs and model calls, the first streamed chunk, how it ended), told to whoever
 * listens. Metrics (`mocks/observability/metrics.ts`) and traces (`mocks/observability/tracing.ts`)
 * are built on it outside the engine, so the engine depends on neither prom-client nor OpenTelemetry.
 *
 * Like the audit trail, observations carry no message content: ids, names, counts, codes, times.
 * Every hook is optional, and a hook that throws is reported once and never breaks a request.
 */
import type { AuditOutcome } from './audit'
import type { BreakerState } from './providers'

/** A chat request as it arrives (`aiAction`), before any check. */
export interface RequestStart {
  /** The asking user's global id. */
  userId: string
  /** How the request is answered: `react` (the ReAct agent) or `rag` (the deterministic Duo Chat V2 pipeline). */
  pipeline: string
  /** The W3C `traceparent` the client sent with `aiAction`, when well-formed; null otherwise. */
  traceparent: string | null
  /** Milliseconds, on the gateway's clock (`now`). */
  at: number
}

/** How a request ended. */
export interface RequestEnd {
  outcome: AuditOutcome
  /** GitLab code of an error or refusal; null when answered or cancelled. */
  code: string | null
  /** Machine-readable cause of a refusal (`rate_limited`, `question_too_long`, ...). */
  reason: string | null
  /** Streamed chunks published. */
  chunks: number
  at: number
}

/** Something with a duration (an agent step, a tool run, a model call); ended once. */
export interface ObservedOperation {
  /** Ends it; `code` is the GitLab code it failed with, if it did. */
  end(at: number, code?: string | null): void
}

/** One model call; a provider chain may try several providers for it. */
export interface ObservedModelCall extends ObservedOperation {
  /** A provider answered, failed (and the next is tried) or was skipped (circuit open). */
  provider?(name: string, result: 'answered' | 'failed' | 'skipped', code?: string): void
}

/** Hooks for one request's life. */
export interface RequestObserver {
  /** The request was accepted and got its ids (refused requests never get here). */
  accepted?(ids: { requestId: string; threadId: string; scenario: boolean }): void
  /** Agent step `index` (0-based) starts: one model call, then maybe one tool. */
  step?(index: number, at: number): ObservedOperation | void
  /** A model call of the current step starts. */
  modelCall?(at: number): ObservedModelCall | void
  /** A tool of the current step starts. */
  tool?(name: string, at: number): ObservedOperation | void
  /** The first chunk of the answer was published. */
  firstChunk?(at: number): void
  /** The request reached a final state; called exactly once. */
  end?(end: RequestEnd): void
}

/** Listens to a gateway; see {@link RequestObserver}. */
export interface GatewayObserver {
  /** A chat request arrived; return hooks for its life. */
  request?(start: RequestStart): RequestObserver | void
  /** A provider's circuit breaker changed state. */
  circuit?(provider: string, state: BreakerState): void
}

/** Several observers as one (metrics and traces together). */
export function combineObservers(...observers: readonly (GatewayObserver | undefined)[]): GatewayObserver {
  const present = observers.filter((observer): observer is GatewayObserver => observer !== undefined)
  return {
    request(start) {
      const hooks = present.map((observer) => observer.request?.(start)).filter((hooks): hooks is RequestObserver => !!hooks)
      return {
        accepted: (ids) => hooks.forEach((hook) => hook.accepted?.(ids)),
        step: (index, at) => allOf(hooks.map((hook) => hook.step?.(index, at))),
        modelCall: (at) => allOf(hooks.map((hook) => hook.modelCall?.(at))),
        tool: (name, at) => allOf(hooks.map((hook) => hook.tool?.(name, at))),
        firstChunk: (at) => hooks.forEach((hook) => hook.firstChunk?.(at)),
        end: (end) => hooks.forEach((hook) => hook.end?.(end)),
      }
    },
    circuit: (provider, state) => present.forEach((observer) => observer.circuit?.(provider, state)),
  }
}

function allOf(operations: readonly (ObservedOperation | ObservedModelCall | void)[]): ObservedModelCall {
  const present = operations.filter((operation): operation is ObservedModelCall => !!operation)
  return {
    end: (at, code) => present.forEach((operation) => operation.end(at, code)),
    provider: (name, result, code) => present.forEach((operation) => operation.provider?.(name, result, code)),
  }
}

/** A W3C trace context `traceparent` value: version 00, non-zero trace and parent ids. */
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/

/** The header when it is a well-formed `traceparent`; null for anything else (it is client input). */
export function readTraceparent(value: string | null | undefined): string | null {
  const trimmed = value?.trim().toLowerCase()
  return trimmed && trimmed.length === 55 && TRACEPARENT.test(trimmed) ? trimmed : null
}

/** What the engine calls: every hook present and safe, whatever the observer implements. */
export interface SafeRequestObserver {
  accepted(ids: { requestId: string; threadId: string; scenario: boolean }): void
  step(index: number, at: number): ObservedOperation
  modelCall(at: number): Required<ObservedModelCall>
  tool(name: string, at: number): ObservedOperation
  firstChunk(at: number): void
  end(end: RequestEnd): void
}

const NOTHING: Required<ObservedModelCall> = { end() {}, provider() {} }

/** A request observer whose hooks never throw and whose `end` runs once. */
export function safeRequestObserver(observer: GatewayObserver | undefined, start: RequestStart): SafeRequestObserver {
  const hooks = guard(() => observer?.request?.(start)) ?? undefined
  let ended = false
  const operation = (made: ObservedOperation | ObservedModelCall | void | undefined): Required<ObservedModelCall> => {
    if (!made) return NOTHING
    let done = false
    return {
      end: (at, code) => {
        if (done) return
        done = true
        guard(() => made.end(at, code))
      },
      provider: (name, result, code) => guard(() => (made as ObservedModelCall).provider?.(name, result, code)),
    }
  }
  return {
    accepted: (ids) => guard(() => hooks?.accepted?.(ids)),
    step: (index, at) => operation(guard(() => hooks?.step?.(index, at))),
    modelCall: (at) => operation(guard(() => hooks?.modelCall?.(at))),
    tool: (name, at) => operation(guard(() => hooks?.tool?.(name, at))),
    firstChunk: (at) => guard(() => hooks?.firstChunk?.(at)),
    end: (end) => {
      if (ended) return
      ended = true
      guard(() => hooks?.end?.(end))
    },
  }
}

let reported = false

function guard<T>(call: () => T): T | undefined {
  try {
    return call()
  } catch (error) {
    if (!reported) console.error('[mock gateway] an observer hook threw; metrics or traces may be missing:', error)
    reported = true
    return undefined
  }
}
