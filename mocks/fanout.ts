/**
 * Cheaper fan-out for graphql-ws: many subscriptions of one user usually run the same document
 * (every tab of the drawer sends the same operation), and every one of them gets the same event
 * object from the gateway's pubsub. graphql's `subscribe()` would execute the selection set once per
 * subscription and event; here it runs once per event, document and variables, and the result is
 * shared. Documents are parsed and validated once per query text.
 */
import {
  createSourceEventStream,
  execute,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql'
import { transportError } from './transport/errors'

const MAX_CACHED_QUERY_LENGTH = 20_000

/** What {@link DocumentCache.get} returns when there is no document. */
export function isErrorList(value: unknown): value is readonly GraphQLError[] {
  return Array.isArray(value)
}

/**
 * Parses and validates query texts, remembering the last few hundred (clients send the same few).
 * `rules` run after graphql's own (the query cost limits: depth, aliases, budget), so that both
 * transports refuse an expensive document before it runs, over HTTP and over WebSocket alike.
 */
export class DocumentCache {
  private readonly entries = new Map<string, DocumentNode | readonly GraphQLError[]>()
  private readonly rules: readonly ValidationRule[]

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxTokens: number,
    private readonly size = 200,
    rules: readonly ValidationRule[] = [],
  ) {
    this.rules = rules.length ? [...specifiedRules, ...rules] : specifiedRules
  }

  /** The validated document, or the errors that say why there is none. */
  get(query: unknown): DocumentNode | readonly GraphQLError[] {
    if (typeof query !== 'string') return [new GraphQLError('The operation must have a "query" string.', { extensions: { code: 'BAD_REQUEST' } })]
    const cached = this.entries.get(query)
    if (cached) return cached
    let entry: DocumentNode | readonly GraphQLError[]
    try {
      const document = parse(query, { maxTokens: this.maxTokens })
      const errors = validate(this.schema, document, this.rules)
      entry = errors.length ? errors : document
    } catch (error) {
      if (error instanceof GraphQLError) {
        entry = [error]
      } else {
        // A RangeError from a document nested too deeply for the parser, or a crashed rule: its
        // text says nothing useful to the client and may say too much.
        console.error('[mock gateway] a document could not be parsed or validated', error)
        entry = [transportError('M4020', 'The document could not be parsed or validated (it may be nested too deeply).')]
      }
    }
    // Hostile clients could send endless distinct or huge texts: keep the cache bounded in count
    // and size (real operations are a few hundred characters).
    if (query.length > MAX_CACHED_QUERY_LENGTH) return entry
    if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(query, entry)
    return entry
  }
}

const documentIds = new WeakMap<DocumentNode, number>()
let nextDocumentId = 1

/**
 * A `subscribe` for graphql-ws that shares each event's execution between subscriptions with the
 * same document, operation, variables and viewer. `viewerOf` reads the viewer id from the context,
 * so that a result is never shared across users even if an event object were.
 */
export function createSharedSubscribe(viewerOf: (contextValue: unknown) => string | null) {
  const results = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>()

  return async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const source = await createSourceEventStream(args)
    if (!isAsyncIterable(source)) return source
    let documentId = documentIds.get(args.document)
    if (documentId === undefined) {
      documentId = nextDocumentId++
      documentIds.set(args.document, documentId)
    }
    const key = `${documentId}\u0000${args.operationName ?? ''}\u0000${viewerOf(args.contextValue) ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`
    return mapIterator(source, (event) => {
      if (typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event })
      let perEvent = results.get(event)
      if (!perEvent) {
        perEvent = new Map()
        results.set(event, perEvent)
      }
      let result = perEvent.get(key)
      if (!result) {
        result = execute({ ...args, rootValue: event })
        perEvent.set(key, result)
      }
      return result
    })
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

/** `source` mapped through `map`, passing `return()` on so that the pubsub subscription ends. */
function mapIterator<T>(
  source: AsyncIterable<unknown>,
  map: (event: unknown) => T | Promise<T>,
): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]()
  const mapped: AsyncIterableIterator<T> = {
    async next() {
      const step = await iterator.next()
      return step.done ? { done: true, value: undefined } : { done: false, value: await map(step.value) }
    },
    async return() {
      await iterator.return?.()
      return { done: true, value: undefined }
    },
    async throw(error?: unknown) {
      await iterator.return?.()
      throw error
    },
    [Symbol.asyncIterator]() {
      return mapped
    },
  }
  return mapped
}
