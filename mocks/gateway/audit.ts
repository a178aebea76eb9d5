/**
 * The audit trail: one structured record per chat request (and a few security events), meant to
 * be written as one JSON line each. Records say who asked, about which resources, which tools and
 * providers ran, how it ended and how long it took. They never hold message content: no question,
 * no answer, no context text, no tool input, no names; only global ids, names of tools and
 * providers, counts and codes.
 */

/** How a chat request ended. */
export type AuditOutcome = 'answered' | 'error' | 'refused' | 'cancelled'

/** One `aiAction` request, written when it reaches a final state. */
export interface AiActionAuditRecord {
  time: string
  level: 'info'
  event: 'ai_action'
  /** Null when the request was refused before it got one. */
  requestId: string | null
  threadId: string | null
  /** The asking user's global id. */
  userId: string
  /** Global ids the request was about or read: `resourceId`, context items, items tools read. */
  resources: string[]
  /** Context items by category, e.g. `{ "ISSUE": 1, "FILE": 2 }`. */
  contextCategories: Record<string, number>
  /** Tools the agent ran, in order (names only; inputs can hold question text). */
  tools: string[]
  /** Providers that gave the model's completions, one per model call. */
  providers: string[]
  /** Provider calls that failed and fell through to the next provider. */
  failovers: number
  outcome: AuditOutcome
  /** GitLab code of an error or refusal; null when answered or cancelled. */
  errorCode: string | null
  /** Machine-readable cause of a refusal (`question_too_long`, `rate_limited`, ...). */
  reason: string | null
  /** Whether a scripted scenario answered instead of the agent. */
  scenario: boolean
  /** Streamed chunks published. */
  chunks: number
  durationMs: number
}

/** A circuit breaker changed state. */
export interface ProviderCircuitAuditRecord {
  time: string
  level: 'info' | 'warn'
  event: 'provider_circuit'
  provider: string
  state: 'closed' | 'open' | 'half-open'
}

/** A refused token, subscription or operation (the transport writes `auth_failed`). */
export interface AccessAuditRecord {
  time: string
  level: 'warn'
  event: 'auth_failed' | 'subscription_refused'
  /** `http` or `ws` for `auth_failed`. */
  transport?: 'http' | 'ws'
  /** The signed-in user, when there is one. */
  userId: string | null
}

export type AuditRecord = AiActionAuditRecord | ProviderCircuitAuditRecord | AccessAuditRecord

/** Receives audit records; must not throw (a throwing logger is caught and reported once). */
export type AuditLogger = (record: AuditRecord) => void

/** A logger that writes each record as one JSON line through `write` (e.g. `process.stdout.write`). */
export function createJsonLineLogger(write: (line: string) => void): AuditLogger {
  return (record) => write(`${JSON.stringify(record)}\n`)
}

/** Wraps a logger so that its failures never break a request. */
export function safeLogger(logger: AuditLogger | undefined): AuditLogger {
  if (!logger) return () => {}
  let reported = false
  return (record) => {
    try {
      logger(record)
    } catch (error) {
      if (!reported) console.error('[mock gateway] the audit logger threw; records may be missing:', error)
      reported = true
    }
  }
}
