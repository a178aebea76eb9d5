import { CloseCode } from 'graphql-ws'

/**
 * Whether graphql-ws should reconnect after the socket closed. Every retry decision lives here.
 */
export function shouldRetryConnection(event: unknown): boolean {
  if (!isCloseEvent(event)) return true // network errors and failed connects are transient
  switch (event.code) {
    // The server refused who we are: retrying with the same token cannot succeed.
    case CloseCode.Forbidden:
    case CloseCode.Unauthorized:
    // Protocol mistakes on our side: a reconnect would repeat them.
    case CloseCode.BadRequest:
    case CloseCode.SubprotocolNotAcceptable:
    case CloseCode.SubscriberAlreadyExists:
    case CloseCode.TooManyInitialisationRequests:
      return false
    default:
      return true
  }
}

/** Exponential backoff with full jitter, capped, so many tabs do not reconnect in lockstep. */
export function retryDelay(attempt: number, baseMs = 500, maxMs = 15_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt)
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
}

function isCloseEvent(event: unknown): event is { code: number } {
  return typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number'
}
