import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import DuoChatDrawer from '../src/components/DuoChatDrawer.vue'
import { createDuoChat, type DuoChatOptions } from '../src/plugin'
import { duoChatGlobalState } from '../src/state/globalState'
import { FakeChatApi } from './fakeChatApi'

/**
 * Mounts the drawer on document.body for user 1 on a fake server (options override), shows it and
 * waits for it to settle. The caller unmounts the wrapper and resets the global state.
 */
export async function mountOpenDrawer(options: Partial<DuoChatOptions> = {}, api: FakeChatApi = new FakeChatApi()): Promise<VueWrapper> {
  const wrapper = mount(DuoChatDrawer, {
    attachTo: document.body,
    global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api, ...options } as DuoChatOptions)] },
  })
  duoChatGlobalState.isShown = true
  await flushPromises()
  return wrapper
}
