import { GraphQLError } from 'graphql'
import { formatErrorMessage } from './errors'

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

/** Refuses a negative page size, and one over `maxPageSize` with M4014. */
export function checkPageSize(value: number | null | undefined, argument: string, maxPageSize: number): void {
  if (value != null && value < 0) {
    throw new GraphQLError(`"${argument}" must not be negative.`, { extensions: { code: 'BAD_USER_INPUT' } })
  }
  if (value != null && value > maxPageSize) {
    const sentence = `"${argument}" is ${value}, over the largest page of ${maxPageSize}. Ask for at most ${maxPageSize} and follow pageInfo for the rest.`
    throw new GraphQLError(formatErrorMessage('M4014', sentence), { extensions: { code: 'M4014' } })
  }
}

/** How big a page may be. */
export interface PageLimits<Node = unknown> {
  /** Items in a page when neither `first` nor `last` is given. */
  defaultPageSize: number
  /** The most items `first`/`last` may ask for (M4014 above it). */
  maxPageSize: number
  /** What an item weighs; with `maxPageLength`, a page stops early once its items weigh more (at least one item is kept). */
  lengthOf?: (node: Node) => number
  /** The most a page may weigh, in `lengthOf` units. */
  maxPageLength?: number
}

/**
 * One page of `items` (already in list order) as a connection. `after`/`before` narrow the range,
 * then `first` keeps its head and `last` its tail (the default page size applies as `first` when
 * neither is given); a page too heavy for `maxPageLength` is cut from its far end (the tail for
 * `first`, the head for `last`). `hasNextPage`/`hasPreviousPage` say whether the full list has
 * items beyond the page, so a client follows the cursors until they are false.
 */
export function toConnection<Node>(
  items: readonly Node[],
  args: ConnectionArgs,
  idOf: (node: Node) => string,
  limits: PageLimits<Node>,
): Connection<Node> {
  checkPageSize(args.first, 'first', limits.maxPageSize)
  checkPageSize(args.last, 'last', limits.maxPageSize)
  const ids = items.map(idOf)
  let start = args.after ? cursorIndex(ids, args.after, 'after') + 1 : 0
  let end = args.before ? cursorIndex(ids, args.before, 'before') : items.length
  if (end < start) end = start
  const first = args.first ?? (args.last == null ? limits.defaultPageSize : null)
  if (first != null) end = Math.min(end, start + first)
  if (args.last != null) start = Math.max(start, end - args.last)
  const { lengthOf } = limits
  if (lengthOf && limits.maxPageLength !== undefined) {
    const fromTail = args.last != null && args.first == null
    let weight = 0
    for (let kept = 0; kept < end - start; kept += 1) {
      const index = fromTail ? end - 1 - kept : start + kept
      weight += lengthOf(items[index] as Node)
      if (kept > 0 && weight > limits.maxPageLength) {
        if (fromTail) start = index + 1
        else end = index
        break
      }
    }
  }
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
