/** What both transports (Node and msw) do with a GraphQL operation over HTTP and with its result. */
import { execute, getOperationAST, GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql'
import { isErrorList, type DocumentCache } from './fanout'
import type { Gateway, Viewer } from './gateway/index'
import { transportMessage } from './transport/errors'

/** More tokens than any real client operation has; a bigger document is refused before it is parsed. */
export const MAX_QUERY_TOKENS = 10_000

/**
 * Errors the resolvers did not mean to show (a crash, not a GraphQLError) become "Internal server
 * error": their text could hold anything, including data of other users. They go to the console.
 */
export function maskUnexpectedErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result
  return {
    ...result,
    errors: result.errors.map((error: GraphQLError | Error) => {
      // graphql puts a plain Error (say a RangeError from coercing deeply nested variables) into
      // `errors` as it is: that one is unexpected too.
      const isGraphQLError = error instanceof GraphQLError
      if (isGraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error
      console.error('[mock gateway] a resolver failed', isGraphQLError ? error.originalError : error)
      return new GraphQLError('Internal server error', {
        nodes: isGraphQLError ? error.nodes : undefined,
        path: isGraphQLError ? error.path : undefined,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      })
    }),
  }
}

export function formatResult(result: ExecutionResult): FormattedExecutionResult {
  const { errors, ...rest } = result
  return errors ? { ...rest, errors: errors.map((error) => error.toJSON()) } : rest
}

/** A GraphQL-over-HTTP answer: its status and JSON body. */
export interface HttpReply {
  status: number
  body: unknown
}

export function httpError(status: number, message: string, code = 'BAD_REQUEST'): HttpReply {
  return { status, body: { errors: [{ message, extensions: { code } }] } }
}

/** A reply ready to write: its status and its body as JSON text. */
export interface SerializedReply {
  status: number
  text: string
}

/**
 * The reply as JSON text, made before any header is written: a body that cannot be serialized
 * (too deep, a cycle, a BigInt) becomes a 500 with code M4020 rather than a 200 with an empty body,
 * and the cause (say `RangeError: Maximum call stack size exceeded`) goes to the console only.
 */
export function serializeReply(reply: HttpReply): SerializedReply {
  try {
    return { status: reply.status, text: JSON.stringify(reply.body) }
  } catch (error) {
    console.error('[mock gateway] a response could not be serialized', error)
    return { status: 500, text: JSON.stringify({ errors: [{ message: transportMessage('M4020'), extensions: { code: 'M4020' } }] }) }
  }
}

/**
 * Runs one GraphQL-over-HTTP request body (already read as JSON) for `viewer`. Whatever it holds
 * (the wrong shapes, a malformed or huge document, variables of the wrong types, a subscription),
 * the answer is a GraphQL response, never a throw. `request.traceparent` is the request's W3C
 * `traceparent` header: an `aiAction` continues that trace.
 */
export async function executeHttpBody(
  gateway: Gateway,
  documents: DocumentCache,
  body: unknown,
  viewer: Viewer,
  request: { traceparent?: string | null } = {},
): Promise<HttpReply> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return httpError(400, 'The request body must be a JSON object with a "query" string (batched requests are not supported).')
  }
  const { query, variables, operationName } = body as Record<string, unknown>
  if (typeof query !== 'string') return httpError(400, 'The request body must have a "query" string.')
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return httpError(400, '"variables" must be a JSON object.')
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return httpError(400, '"operationName" must be a string.')
  }
  const document = documents.get(query)
  if (isErrorList(document)) return { status: 400, body: { errors: document.map((error) => error.toJSON()) } }
  if (getOperationAST(document, operationName ?? undefined)?.operation === 'subscription') {
    return httpError(400, 'Subscriptions are served over WebSocket (graphql-transport-ws) on this same path, not over HTTP POST.')
  }
  const result = await execute({
    schema: gateway.schema,
    document,
    variableValues: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: operationName ?? undefined,
    contextValue: gateway.context(viewer, request),
  })
  return { status: 200, body: formatResult(maskUnexpectedErrors(result)) }
}
