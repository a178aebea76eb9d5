/**
 * W3C trace context for `aiAction`: a `traceparent` per request, so the gateway's spans of that
 * request join the host's trace (or start one the host can look up by its trace id).
 */

/** Where a request's `traceparent` comes from: generated, the host's own, or none. */
export type TraceparentSource = boolean | (() => string | null | undefined)

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/

/** A new `traceparent` with random ids, sampled. */
export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-01`
}

/** The trace id of a well-formed `traceparent`, else null. */
export function traceIdOf(traceparent: string | null | undefined): string | null {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null
  return match?.[1] && !/^0+$/.test(match[1]) ? match[1] : null
}

/** The `traceparent` for one request: the host's when it gives a well-formed one, else a new one; null when turned off. */
export function traceparentFor(source: TraceparentSource): string | null {
  if (source === false) return null
  if (typeof source === 'function') {
    const given = source()?.trim().toLowerCase()
    if (given && traceIdOf(given)) return given
  }
  return newTraceparent()
}

function randomHex(bytes: number): string {
  const values = globalThis.crypto.getRandomValues(new Uint8Array(bytes))
  let hex = ''
  for (const value of values) hex += value.toString(16).padStart(2, '0')
  // An all-zero id is invalid; astronomically unlikely, but cheap to rule out.
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex
}
