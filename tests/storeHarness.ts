import { createPinia, setActivePinia } from 'pinia'
import { createApp, shallowRef, type ShallowRef } from 'vue'
import { useDuoChatStore, type DuoChatStore } from '../src/state/chatStore'
import { duoChatConfigKey } from '../src/state/config'
import type { DuoChatApi } from '../src/transport/chatApi'
import type { ConnectionStatus } from '../src/transport/createApolloClient'

export interface TestStoreOptions {
  api: DuoChatApi
  /** @default 60000 */
  requestTimeoutMs?: number
  /** @default 'gid://gitlab/User/1' (alice) */
  userId?: string
  /** The transport's socket state; pass the ref the Apollo client updates to test reconnects. @default connected */
  connectionStatus?: ShallowRef<ConnectionStatus>
}

/** The chat store in a fresh Vue app and Pinia, configured as the plugin would, without components. */
export function createTestStore({
  api,
  userId = 'gid://gitlab/User/1',
  requestTimeoutMs = 60_000,
  connectionStatus = shallowRef('connected'),
}: TestStoreOptions): DuoChatStore {
  const app = createApp({})
  const pinia = createPinia()
  app.use(pinia)
  app.provide(duoChatConfigKey, {
    api,
    userId,
    maxPromptLength: 10_000,
    requestTimeoutMs,
    connectionStatus,
    shortcut: null,
  })
  setActivePinia(pinia)
  return app.runWithContext(() => useDuoChatStore())
}
