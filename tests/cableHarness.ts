import { WebSocket } from 'ws'
import { SESSION_COOKIE } from '../mocks/transport/gitlabSession'

/**
 * A WebSocket class for `@rails/actioncable` in Node that sends a GitLab session cookie with the
 * upgrade request, as a browser does for a same-origin page.
 */
export function sessionWebSocket(session: string): unknown {
  return class SessionWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: `${SESSION_COOKIE}=${session}` } })
    }
  }
}

// The cable's connection monitor listens for `visibilitychange` on the global scope, which Node
// lacks: give Node tests an inert event target so that the monitor (and its reconnects) run.
if (typeof globalThis.addEventListener !== 'function') {
  const target = new EventTarget()
  Object.assign(globalThis, {
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
  })
}
