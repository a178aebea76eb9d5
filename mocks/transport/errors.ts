/**
 * Error codes of the transports (the engine's are in `../gateway/errors.ts`), in GitLab's format:
 * - G1001 too many open subscriptions on one connection;
 * - G1002 too many open subscriptions of one user, over all their connections;
 * - G1003 a subscription with this `clientSubscriptionId` is already open on this connection;
 * - G1004 a subscription's `clientSubscriptionId` is longer than 255 characters;
 * - G4000 the gateway could not finish the response (it could not be serialized, or the document
 *   broke the parser); the cause goes to the console, never to the client;
 * - M3100 a control route refused a request from a foreign `Origin` (or a cross-site browser request);
 * - M3101 a control route refused a request whose `Host` is not an address the gateway listens on.
 *
 * `G` codes belong to the GraphQL and subscription layer, `M` codes to the server around it; the
 * first digit is the family (1000 connection, 3000 permission, 4000 execution).
 */
import { GraphQLError } from 'graphql'

export const TRANSPORT_ERRORS = {
  G1001: 'Too many open subscriptions on this connection. Complete some before subscribing again.',
  G1002: 'Too many open subscriptions for this user. Close other tabs or complete some subscriptions, then try again.',
  G1003: 'A subscription with this clientSubscriptionId is already open on this connection; it receives the answer once.',
  G1004: 'The clientSubscriptionId is too long. Use a shorter id, such as a UUID.',
  G4000: 'Internal server error: the gateway could not complete this response. Please try again.',
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
