/**
 * How many subscriptions a connection and a user may hold open. Every subscription of a user gets
 * each complete message, so a client that opens thousands (or the same one thousands of times)
 * turns one answer into thousands of frames: the gateway caps both, and refuses a second open
 * subscription with the same `clientSubscriptionId` on one connection, which would only repeat
 * every chunk. Refusals are GraphQL errors for that one subscription (codes M1011–M1014); the
 * connection stays open. Transport-neutral: graphql-ws uses it, and so can any later transport.
 */
import type { GraphQLError } from 'graphql'
import { transportError } from './errors'

export interface SubscriptionLimits {
  /** Open subscriptions per connection. A drawer holds one for the thread and one per question in flight. @default 50 */
  perConnection: number
  /** Open subscriptions per user over all their connections (tabs). @default 200 */
  perUser: number
}

/** The longest `clientSubscriptionId`, as `aiAction` takes it (the engine's id limit). */
export const MAX_CLIENT_SUBSCRIPTION_ID_LENGTH = 255

export const DEFAULT_SUBSCRIPTION_LIMITS: Readonly<SubscriptionLimits> = { perConnection: 50, perUser: 200 }

export function resolveSubscriptionLimits(limits: Partial<SubscriptionLimits> = {}): SubscriptionLimits {
  const resolved = { ...DEFAULT_SUBSCRIPTION_LIMITS, ...limits }
  for (const key of ['perConnection', 'perUser'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) throw new RangeError(`subscriptionLimits.${key} must be an integer >= 1, got ${resolved[key]}.`)
  }
  return resolved
}

interface Slot {
  operationId: string
  clientSubscriptionId: string | null
}

/** One client connection (a socket) of one user, and the subscriptions it holds. */
export class SubscriptionConnection {
  /** Keyed by the subscribe message's payload: the same object reaches the completion hook. */
  readonly slots = new Map<object, Slot>()

  constructor(
    readonly userId: string,
    /**
     * Whether the transport still runs operation `id` on this connection. A client's `complete`
     * ends an operation at once, before its completion hook runs: the slot is free from then on.
     */
    private readonly isRunning: (operationId: string) => boolean,
  ) {}

  /** The slots still in use, dropping those the transport has ended. */
  live(): Map<object, Slot> {
    for (const [key, slot] of this.slots) if (!this.isRunning(slot.operationId)) this.slots.delete(key)
    return this.slots
  }
}

/** The open subscriptions of every connection, by user. */
export class SubscriptionRegistry {
  readonly limits: SubscriptionLimits
  private readonly byUser = new Map<string, Set<SubscriptionConnection>>()

  constructor(limits?: Partial<SubscriptionLimits>) {
    this.limits = resolveSubscriptionLimits(limits)
  }

  /** Registers a signed-in connection. */
  open(userId: string, isRunning: (operationId: string) => boolean): SubscriptionConnection {
    const connection = new SubscriptionConnection(userId, isRunning)
    const connections = this.byUser.get(userId) ?? new Set()
    connections.add(connection)
    this.byUser.set(userId, connections)
    return connection
  }

  /** Forgets a closed connection and every slot it held. */
  close(connection: SubscriptionConnection): void {
    const connections = this.byUser.get(connection.userId)
    connections?.delete(connection)
    if (connections?.size === 0) this.byUser.delete(connection.userId)
    connection.slots.clear()
  }

  /**
   * Takes a slot for a new subscription, or says why not. `key` identifies it until
   * {@link release}; `operationId` is the transport's id for it.
   */
  admit(connection: SubscriptionConnection, key: object, operationId: string, clientSubscriptionId: unknown): GraphQLError | null {
    const slots = connection.live()
    const csid = typeof clientSubscriptionId === 'string' && clientSubscriptionId !== '' ? clientSubscriptionId : null
    if (csid !== null && csid.length > MAX_CLIENT_SUBSCRIPTION_ID_LENGTH) {
      // aiAction refuses such ids, so this subscription could never get a chunk: it would only hold memory.
      return transportError(
        'M1014',
        `The clientSubscriptionId is ${csid.length.toLocaleString('en-US')} characters long, over the limit of ${MAX_CLIENT_SUBSCRIPTION_ID_LENGTH}. Use a shorter id, such as a UUID.`,
      )
    }
    if (csid !== null) {
      for (const slot of slots.values()) if (slot.clientSubscriptionId === csid) return transportError('M1013')
    }
    if (slots.size >= this.limits.perConnection) {
      return transportError('M1011', `Too many open subscriptions on this connection (the limit is ${this.limits.perConnection}). Complete some before subscribing again.`)
    }
    if (this.countOf(connection.userId) >= this.limits.perUser) {
      return transportError('M1012', `Too many open subscriptions for this user (the limit is ${this.limits.perUser}). Close other tabs or complete some subscriptions, then try again.`)
    }
    slots.set(key, { operationId, clientSubscriptionId: csid })
    return null
  }

  /** Frees the slot of a subscription that ended. */
  release(connection: SubscriptionConnection, key: object): void {
    connection.slots.delete(key)
  }

  /** Open subscriptions of a user, over all their connections. */
  countOf(userId: string): number {
    let count = 0
    for (const connection of this.byUser.get(userId) ?? []) count += connection.live().size
    return count
  }

  /** Open connections per user id. */
  connectionCounts(): Map<string, number> {
    return new Map([...this.byUser].map(([userId, connections]) => [userId, connections.size]))
  }

  /** The connections of one user. */
  connectionsOf(userId: string): readonly SubscriptionConnection[] {
    return [...(this.byUser.get(userId) ?? [])]
  }
}
