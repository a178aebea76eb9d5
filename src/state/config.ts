import { inject, type InjectionKey } from 'vue'
import type { DuoChatConfig } from './types'

export const duoChatConfigKey: InjectionKey<DuoChatConfig> = Symbol('duo-chat-config')

/** The plugin's configuration; throws a message that names the fix when the plugin is missing. */
export function injectDuoChatConfig(): DuoChatConfig {
  const config = inject(duoChatConfigKey, null)
  if (!config) {
    throw new Error(
      '[duo-chat-drawer]: no configuration found. Install the plugin first: ' +
        "app.use(createDuoChat({ graphqlUrl, userId, token })).",
    )
  }
  return config
}
