/** The document cache every transport validates with: graphql's rules, the token cap, and the query cost limits. */
import { DocumentCache } from '../fanout'
import { MAX_QUERY_TOKENS } from '../executionResults'
import type { Gateway } from '../gateway/index'

export function createDocumentCache(gateway: Gateway): DocumentCache {
  return new DocumentCache(gateway.schema, MAX_QUERY_TOKENS, 200, [])
}
