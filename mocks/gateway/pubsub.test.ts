import { describe, expect, it } from 'vitest'
import { createPubSub } from './pubsub'

describe('createPubSub', () => {
  it('buffers events in order until they are pulled', async () => {
    const pubsub = createPubSub<number>()
    const iterator = pubsub.subscribe('alice')
    pubsub.publish('alice', 1)
    pubsub.publish('alice', 2)

    expect(await iterator.next()).toEqual({ done: false, value: 1 })
    expect(await iterator.next()).toEqual({ done: false, value: 2 })
  })

  it('resolves a waiting pull with the next event', async () => {
    const pubsub = createPubSub<string>()
    const iterator = pubsub.subscribe('alice')
    const pending = iterator.next()
    pubsub.publish('alice', 'hello')

    expect(await pending).toEqual({ done: false, value: 'hello' })
  })

  it('delivers only to the topic and only what the filter accepts', async () => {
    const pubsub = createPubSub<number>()
    const even = pubsub.subscribe('alice', (value) => value % 2 === 0)
    const bob = pubsub.subscribe('bob')
    for (const value of [1, 2, 3, 4]) pubsub.publish('alice', value)
    pubsub.publish('bob', 9)

    expect(await even.next()).toEqual({ done: false, value: 2 })
    expect(await even.next()).toEqual({ done: false, value: 4 })
    expect(await bob.next()).toEqual({ done: false, value: 9 })
  })

  it('removes the listener on return() and ends pending pulls', async () => {
    const pubsub = createPubSub<number>()
    const iterator = pubsub.subscribe('alice')
    const pending = iterator.next()
    expect(pubsub.subscriberCount('alice')).toBe(1)

    await iterator.return?.()

    expect(pubsub.subscriberCount()).toBe(0)
    expect(await pending).toEqual({ done: true, value: undefined })
    pubsub.publish('alice', 1)
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
  })

  it('removes the listener on throw()', async () => {
    const pubsub = createPubSub<number>()
    const iterator = pubsub.subscribe('alice')

    await expect(iterator.throw?.(new Error('client gone'))).rejects.toThrow('client gone')
    expect(pubsub.subscriberCount('alice')).toBe(0)
  })

  it('works with for await and break', async () => {
    const pubsub = createPubSub<number>()
    const iterator = pubsub.subscribe('alice')
    pubsub.publish('alice', 1)
    for await (const value of iterator) {
      expect(value).toBe(1)
      break
    }
    expect(pubsub.subscriberCount()).toBe(0)
  })

  it('ends every subscription on close()', async () => {
    const pubsub = createPubSub<number>()
    const first = pubsub.subscribe('alice')
    const second = pubsub.subscribe('bob')
    pubsub.close()

    expect(await first.next()).toEqual({ done: true, value: undefined })
    expect(await second.next()).toEqual({ done: true, value: undefined })
    expect(pubsub.subscriberCount()).toBe(0)
  })
})
