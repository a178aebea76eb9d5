// @vitest-environment jsdom
import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createDuoChat } from '../src/plugin'
import DuoChatDrawer from '../src/components/DuoChatDrawer.vue'
import { useDuoChatStore } from '../src/state/chatStore'
import { duoChatGlobalState } from '../src/state/globalState'
import { FakeChatApi } from './fakeChatApi'

const gc = (globalThis as { gc?: () => void }).gc

/** Heap in use after a full collection, in MB. */
function heapAfterGc(): number {
  gc!()
  gc!()
  return process.memoryUsage().heapUsed / 2 ** 20
}

describe('soak', () => {
  it('1,000 questions in 50 chats keep memory flat: no retained subscriptions, messages or DOM', async () => {
    expect(gc, 'vitest runs with --expose-gc (vite.config.ts)').toBeTypeOf('function')
    localStorage.clear()
    duoChatGlobalState.resourceId = null
    duoChatGlobalState.isShown = true
    const api = new FakeChatApi()
    // The gateway answers at once: each answer streams three chunks, then completes.
    api.onSend = async (input) => {
      const requestId = `request-${api.sent.length}`
      queueMicrotask(() => {
        for (const [index, content] of ['An ', 'answer ', `for ${input.question}.`].entries()) {
          api.toRequest(input.clientSubscriptionId, { requestId, chunkId: index + 1, content })
        }
        api.broadcast({ requestId, role: 'ASSISTANT', content: `An answer for ${input.question}.`, id: `m-${requestId}` })
      })
      return { requestId, threadId: 'thread' }
    }
    const wrapper = mount(DuoChatDrawer, {
      attachTo: document.body,
      global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api })] },
    })
    const store = useDuoChatStore()

    async function chat(round: number) {
      for (let i = 0; i < 20; i++) {
        const answer = await store.sendQuestion(`question ${round}.${i}`)
        expect(answer.content).toBe(`An answer for question ${round}.${i}.`)
      }
      await flushPromises()
      expect(document.querySelectorAll('article')).toHaveLength(40)
      store.newChat()
      await flushPromises()
    }

    for (let round = 0; round < 10; round++) await chat(round)
    const warm = heapAfterGc()
    for (let round = 10; round < 50; round++) await chat(round)
    const after = heapAfterGc()

    expect(api.sent).toHaveLength(1000)
    // Only the user-wide subscription stays open; every request's own one was closed.
    expect(api.activeSubscriptions).toBe(1)
    expect(store.messages).toHaveLength(0)
    expect(document.querySelectorAll('article')).toHaveLength(0)
    // 800 more questions after warming up may not keep what they made: a leak of 20 kB a question
    // (one retained message with its DOM) would already grow the heap by 16 MB.
    console.info(`[soak] heap after 200 questions: ${warm.toFixed(1)} MB; after 1,000: ${after.toFixed(1)} MB`)
    expect(after - warm).toBeLessThan(16)
    wrapper.unmount()
  }, 120_000)
})
