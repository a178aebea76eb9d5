/** How fast the gateway answers. Tests use zeros; the demo keeps the defaults to look alive. */
export interface GatewayTiming {
  /** How long a tool call takes. @default 300 */
  toolMs: number
  /** Pause between streamed chunks. @default 25 (about 40 chunks/s) */
  chunkDelayMs: number
  /** Characters per streamed chunk. @default 6 */
  chunkSize: number
  /** How long the rag pipeline waits for the client's reactive context before it goes on without. @default 5000 */
  reactiveContextMs: number
}

/** The defaults of {@link GatewayTiming}. */
export const DEFAULT_TIMING: Readonly<GatewayTiming> = { toolMs: 300, chunkDelayMs: 25, chunkSize: 6, reactiveContextMs: 5_000 }

/** Fills in defaults and rejects values that would stall or break streaming. */
export function resolveTiming(timing: Partial<GatewayTiming> = {}): GatewayTiming {
  const resolved = { ...DEFAULT_TIMING, ...timing }
  for (const key of ['toolMs', 'chunkDelayMs', 'reactiveContextMs'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) {
      throw new RangeError(`timing.${key} must be a finite number of milliseconds >= 0, got ${resolved[key]}.`)
    }
  }
  if (!Number.isInteger(resolved.chunkSize) || resolved.chunkSize < 1) {
    throw new RangeError(`timing.chunkSize must be a positive integer, got ${resolved.chunkSize}.`)
  }
  return resolved
}
