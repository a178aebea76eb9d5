/**
 * Sign-in as GitLab's web frontend does it: the `_gitlab_session` cookie, plus the session's CSRF
 * token on every HTTP mutation. A bearer token works too, as for GitLab's API clients, and needs no
 * CSRF token (a page cannot make the browser attach one). Shared by every transport.
 */
import type { Gateway, Viewer } from '../gateway/index'

export const SESSION_COOKIE = '_gitlab_session'

/** A fixture user's web session: the cookie's value and the CSRF token its pages carry. */
export interface FixtureSession {
  session: string
  csrfToken: string
  /** The fixture user's API token: the session signs in as its owner. */
  token: string
}

/** The fixture users' sessions (alice and bob), as the demo's sign-in sets them. */
export const FIXTURE_SESSIONS: readonly FixtureSession[] = [
  { session: 'alice-session', csrfToken: 'alice-csrf-token', token: 'alice-token' },
  { session: 'bob-session', csrfToken: 'bob-csrf-token', token: 'bob-token' },
]

/** How a request signed in: which user, and whether by cookie (then mutations need the CSRF token). */
export interface SignIn {
  viewer: Viewer
  session: FixtureSession | null
}

/** The value of one cookie in a `Cookie` header. */
export function cookieValue(header: string | null | undefined, name: string): string | null {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim())
  }
  return null
}

/**
 * The user of a request: `Authorization: Bearer <token>` first (an API client), else the session
 * cookie. Null when neither names a user.
 */
export function signIn(gateway: Gateway, headers: { authorization: string | null; cookie: string | null }): SignIn | null {
  if (headers.authorization) {
    const viewer = gateway.authenticate(headers.authorization)
    return viewer ? { viewer, session: null } : null
  }
  const value = cookieValue(headers.cookie, SESSION_COOKIE)
  const session = value ? FIXTURE_SESSIONS.find((candidate) => candidate.session === value) : undefined
  const viewer = session ? gateway.authenticate(session.token) : null
  return session && viewer ? { viewer, session } : null
}

/**
 * Whether a cookie-signed request carries its session's CSRF token. Rails checks every
 * non-GET request of a cookie session, so GitLab refuses a mutation (and a query sent with POST)
 * without it; a bearer request needs none.
 */
export function csrfAccepted(signedIn: SignIn, csrfHeader: string | null): boolean {
  return signedIn.session === null || csrfHeader === signedIn.session.csrfToken
}

/** GitLab's answer to a cookie-session POST without the right CSRF token. */
export const CSRF_REFUSAL = {
  status: 422,
  body: { errors: [{ message: "Can't verify CSRF token authenticity.", extensions: { code: 'INVALID_CSRF_TOKEN' } }] },
} as const
