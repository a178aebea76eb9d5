/**
 * Error codes of the transports (the engine's are in `../gateway/errors.ts`), in GitLab's format:
 * - M1011 too many open subscriptions on one connection;
 * - M1012 too many open subscriptions of one user, over all their connections;
 * - M1013 a subscription with this `clientSubscriptionId` is already open on this connection;
 * - M1014 a subscription's `clientSubscriptionId` is longer than 255 characters;
 * - M4020 the server could not finish the response (it could not be serialized, or the document
 *   broke the parser); the cause goes to the console, never to the client;
 * - M3100 a control route refused a request from a foreign `Origin` (or a cross-site browser request);
 * - M3101 a control route refused a request whose `Host` is not an address the gateway listens on.
 *
 * All are `M`: in GitLab the GraphQL endpoint and its subscriptions (ActionCable's GraphqlChannel)
 * are the monolith's, not the AI gateway's. The first digit is the family (1000 connection,
 * 3000 permission, 4000 execution); docs/guide/errors.md lists every code.
 */
import { GraphQLError } from 'graphql'

export const TRANSPORT_ERRORS = {
  M1011: 'Too many open subscriptions on this connection. Complete some before subscribing again.',
  M1012: 'Too many open subscriptions for this user. Close other tabs or complete some subscriptions, then try again.',
  M1013: 'A subscription with this clientSubscriptionId is already open on this connection; it receives the answer once.',
  M1014: 'The clientSubscriptionId is too long. Use a shorter id, such as a UUID.',
  M4020: 'Internal server error: the server could not complete this response. Please try again.',
  M3100: 'Cross-origin requests to the control routes are refused: only the demo and the gateway itself may call them.',
  M3101: 'The Host header is not an address this gateway listens on; the control routes refuse the request.',
} as const

export type TransportErrorCode = keyof typeof TRANSPORT_ERRORS

/** `<sentence> Error code: <code>`, the way GitLab writes its errors. */
export function transportMessage(code: TransportErrorCode, sentence: string = TRANSPORT_ERRORS[code]): string {
  return `${sentence} Error code: ${code}`
}

/** A GraphQL error carrying a transport code in its message and in `extensions.code`. */
export function transportError(code: TransportErrorCode, sentence?: string): GraphQLError {
  return new GraphQLError(transportMessage(code, sentence), { extensions: { code } })
}
