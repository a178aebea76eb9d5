import { GraphQLError } from 'graphql'

/** Relay pagination arguments, as GitLab's connection fields take them. */
export interface ConnectionArgs {
  first?: number | null
  last?: number | null
  after?: string | null
  before?: string | null
}

/** A Relay connection: `edges`, `nodes` and `pageInfo`. */
export interface Connection<Node> {
  edges: { cursor: string; node: Node }[]
  nodes: Node[]
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean }
}

/** Cursors name an item by id, so they stay valid while new items are appended. */
function encodeCursor(id: string): string {
  return btoa(`cursor:${id}`)
}

function cursorIndex(ids: readonly string[], cursor: string, argument: string): number {
  let id: string | null = null
  try {
    const decoded = atob(cursor)
    id = decoded.startsWith('cursor:') ? decoded.slice('cursor:'.length) : null
  } catch {
    id = null
  }
  const index = id === null ? -1 : ids.indexOf(id)
  if (index < 0) {
    throw new GraphQLError(`"${argument}" is not a cursor of this list; use a cursor from pageInfo or edges.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    })
  }
  return index
}

function checkCount(value: number | null | undefined, argument: string): void {
  if (value != null && value < 0) {
    throw new GraphQLError(`"${argument}" must not be negative.`, { extensions: { code: 'BAD_USER_INPUT' } })
  }
}

/**
 * One page of `items` (already in list order) as a connection. `after`/`before` narrow the range,
 * then `first` keeps its head and `last` its tail; `hasNextPage`/`hasPreviousPage` say whether
 * the full list has items beyond the page.
 */
export function toConnection<Node>(items: readonly Node[], args: ConnectionArgs, idOf: (node: Node) => string): Connection<Node> {
  checkCount(args.first, 'first')
  checkCount(args.last, 'last')
  const ids = items.map(idOf)
  let start = args.after ? cursorIndex(ids, args.after, 'after') + 1 : 0
  let end = args.before ? cursorIndex(ids, args.before, 'before') : items.length
  if (end < start) end = start
  if (args.first != null) end = Math.min(end, start + args.first)
  if (args.last != null) start = Math.max(start, end - args.last)
  const edges = items.slice(start, end).map((node, offset) => ({ cursor: encodeCursor(ids[start + offset] ?? ''), node }))
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasPreviousPage: start > 0,
      hasNextPage: end < items.length,
    },
  }
}
