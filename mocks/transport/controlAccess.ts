/**
 * Who may call the control routes. They script answers, drop sockets and wipe history, so a web
 * page the developer happens to visit must not reach them:
 * - a request with an `Origin` is served only when that origin is the demo's or the gateway's own
 *   (`Origin: null` from a sandboxed frame or a file is foreign too); the content type does not
 *   matter, so a `text/plain` "simple" request that skips the preflight is refused all the same;
 * - a browser request without `Origin` that says it is cross-site (`Sec-Fetch-Site`) is refused;
 * - `Host` must be an address the gateway listens on, which defeats DNS rebinding (a foreign name
 *   resolved to 127.0.0.1 arrives with that foreign name as its Host);
 * - scripts and test runners (curl, Playwright's `request`, Node's fetch) send no `Origin` and go
 *   through unchanged.
 */
import { transportMessage, type TransportErrorCode } from './errors'

export interface ControlAccess {
  /** Origins (`scheme://host:port`) allowed to call the control routes. */
  origins: readonly string[]
  /** `Host` values (`host:port`) allowed; null skips the check (msw: the URL itself matched). */
  hosts: readonly string[] | null
}

/** Why a request was refused: the HTTP status, the code and the sentence. */
export interface AccessRefusal {
  status: 403
  code: TransportErrorCode
  message: string
}

/** The loopback names of one port, as `host:port` (IPv6 in brackets). */
export function loopbackHosts(port: number, listenHost = '127.0.0.1'): string[] {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]'])
  names.add(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost)
  return [...names].map((name) => `${name}:${port}`.toLowerCase())
}

/** The `http://` origins of those hosts. */
export function originsOf(hosts: readonly string[], scheme = 'http'): string[] {
  return hosts.map((host) => `${scheme}://${host}`)
}

/** The demo's origins for a port: `http://127.0.0.1:<port>` and `http://localhost:<port>`. */
export function demoOrigins(port: number): string[] {
  return originsOf(loopbackHosts(port))
}

/** Normalizes an origin the way browsers send it (lower case, no default port, no path). */
export function normalizeOrigin(origin: string): string {
  try {
    return new URL(origin).origin.toLowerCase()
  } catch {
    return origin.trim().toLowerCase()
  }
}

/** The refusal for a control request, or null when it may go through. */
export function checkControlAccess(access: ControlAccess, header: (name: string) => string | null): AccessRefusal | null {
  if (access.hosts) {
    const host = header('host')?.trim().toLowerCase()
    if (!host || !access.hosts.includes(host)) return refusal('M3101')
  }
  const origin = header('origin')
  if (origin !== null) {
    const allowed = access.origins.map(normalizeOrigin)
    if (origin.trim().toLowerCase() === 'null' || !allowed.includes(normalizeOrigin(origin))) return refusal('M3100')
    return null
  }
  const site = header('sec-fetch-site')?.trim().toLowerCase()
  if (site === 'cross-site' || site === 'same-site') return refusal('M3100')
  return null
}

function refusal(code: TransportErrorCode): AccessRefusal {
  return { status: 403, code, message: transportMessage(code) }
}
