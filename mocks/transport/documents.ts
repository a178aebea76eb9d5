/**
 * The document cache every transport validates with: graphql's rules, the token cap, and the
 * gateway's own rules (the query limits: depth, aliases, fields, cost; codes M4010–M4013), so that
 * an expensive document is refused before it runs, over HTTP and WebSocket, in both transports.
 */
import { DocumentCache } from '../fanout'
import { MAX_QUERY_TOKENS } from '../executionResults'
import type { Gateway } from '../gateway/index'

export function createDocumentCache(gateway: Gateway): DocumentCache {
  return new DocumentCache(gateway.schema, MAX_QUERY_TOKENS, 200, gateway.validationRules)
}
