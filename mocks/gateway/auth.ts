import { GraphQLError } from 'graphql'
import type { Fixtures, UserFixture } from './fixtures'

/** The signed-in user a request runs as. */
export interface Viewer {
  /** Global id, e.g. `gid://gitlab/User/1`. */
  id: string
  username: string
  name: string
}

/** The `contextValue` for graphql's `execute`/`subscribe`; create it with `gateway.context()`. */
export interface GatewayContext {
  readonly viewer: Viewer | null
  /**
   * Characters of history this operation has read so far: all its `aiMessages` pages count
   * against `limits.maxResponseLength`. Absent in contexts not made by `gateway.context()`.
   */
  readonly reads?: { length: number }
  /** The W3C `traceparent` header of the HTTP request, for `aiAction` (metrics and traces). */
  readonly traceparent?: string | null
}

const BEARER = /^bearer\s+/i

/**
 * The user an `Authorization` value belongs to. Accepts `Bearer <token>` and a bare token
 * (graphql-ws clients often pass the token alone in `connectionParams`).
 */
export function authenticate(fixtures: Fixtures, authorization: string | null | undefined): Viewer | null {
  const token = authorization?.trim().replace(BEARER, '').trim()
  if (!token) return null
  const user = fixtures.users.find((candidate) => candidate.token === token)
  return user ? toViewer(user) : null
}

/** A user by username (`alice`) or global id (`gid://gitlab/User/1`). */
export function findUser(fixtures: Fixtures, ref: string): UserFixture | undefined {
  return fixtures.users.find((user) => user.username === ref || user.id === ref)
}

/** The public part of a user: never the token. */
export function toViewer(user: UserFixture): Viewer {
  return { id: user.id, username: user.username, name: user.name }
}

/** The viewer, or a GraphQL error that tells the client to sign in. */
export function requireViewer(context: GatewayContext): Viewer {
  if (context.viewer) return context.viewer
  throw new GraphQLError('You must be signed in: send a valid token in the Authorization header.', {
    extensions: { code: 'UNAUTHENTICATED' },
  })
}
