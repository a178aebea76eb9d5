/**
 * A minimal topic-based publish/subscribe whose subscriptions are async iterators, the shape
 * graphql's `subscribe()` consumes. Events published before a consumer pulls are buffered in
 * order; `return()` (which graphql-ws calls on complete and on close) removes the listener at once.
 */
export interface PubSub<Event> {
  /** Delivers `event` to every current subscriber of `topic` whose filter accepts it. */
  publish(topic: string, event: Event): void
  /** A new subscription to `topic`; `accept` decides per event whether this subscriber gets it. */
  subscribe(topic: string, accept?: (event: Event) => boolean): AsyncIterableIterator<Event>
  /** How many subscriptions are open, on one topic or in total: lets tests prove cleanup. */
  subscriberCount(topic?: string): number
  /** Ends every subscription (their iterators report done), e.g. when the gateway is disposed. */
  close(): void
}

interface Subscriber<Event> {
  accept: (event: Event) => boolean
  push: (event: Event) => void
  end: () => void
}

/** Creates a {@link PubSub}. */
export function createPubSub<Event>(): PubSub<Event> {
  const topics = new Map<string, Set<Subscriber<Event>>>()

  function remove(topic: string, subscriber: Subscriber<Event>): void {
    const subscribers = topics.get(topic)
    subscribers?.delete(subscriber)
    if (subscribers?.size === 0) topics.delete(topic)
  }

  return {
    publish(topic, event) {
      // Copy first: a subscriber that ends while we deliver must not disturb the iteration.
      for (const subscriber of [...(topics.get(topic) ?? [])]) {
        if (subscriber.accept(event)) subscriber.push(event)
      }
    },

    subscribe(topic, accept = () => true) {
      const buffer: Event[] = []
      const waiting: ((result: IteratorResult<Event>) => void)[] = []
      let done = false

      const finish = (): IteratorResult<Event> => {
        if (!done) {
          done = true
          remove(topic, subscriber)
          buffer.length = 0
          for (const resolve of waiting.splice(0)) resolve({ done: true, value: undefined })
        }
        return { done: true, value: undefined }
      }

      const subscriber: Subscriber<Event> = {
        accept,
        push(event) {
          const resolve = waiting.shift()
          if (resolve) resolve({ done: false, value: event })
          else buffer.push(event)
        },
        end: finish,
      }
      const subscribers = topics.get(topic) ?? new Set()
      subscribers.add(subscriber)
      topics.set(topic, subscribers)

      const iterator: AsyncIterableIterator<Event> = {
        next() {
          const event = buffer.shift()
          if (event !== undefined) return Promise.resolve({ done: false, value: event })
          if (done) return Promise.resolve({ done: true, value: undefined })
          return new Promise((resolve) => waiting.push(resolve))
        },
        return() {
          return Promise.resolve(finish())
        },
        throw(error?: unknown) {
          finish()
          return Promise.reject(error)
        },
        [Symbol.asyncIterator]() {
          return iterator
        },
      }
      return iterator
    },

    subscriberCount(topic) {
      if (topic !== undefined) return topics.get(topic)?.size ?? 0
      let count = 0
      for (const subscribers of topics.values()) count += subscribers.size
      return count
    },

    close() {
      for (const subscribers of [...topics.values()]) {
        for (const subscriber of [...subscribers]) subscriber.end()
      }
      topics.clear()
    },
  }
}
