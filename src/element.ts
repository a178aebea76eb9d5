import { createApp, type App } from 'vue'
import DuoChatDrawer from './components/DuoChatDrawer.vue'
import drawerCss from './components/drawer.css?inline'
import { createDuoChat, type DuoChatOptions } from './plugin'
import { duoChatGlobalState, focusChatInput } from './state/globalState'
import { sendDuoChatCommand } from './state/sendDuoChatCommand'
import { registerContextProvider } from './context/registry'

export { duoChatGlobalState, focusChatInput, registerContextProvider, sendDuoChatCommand }
export type { DuoChatOptions }

/** Options of {@link mount}: the plugin's options and the drawer's title. */
export type MountOptions = DuoChatOptions & {
  /** Heading of the drawer. @default 'GitLab Duo Chat' */
  title?: string
  /** Colour scheme. @default 'auto' (follows prefers-color-scheme) */
  theme?: 'auto' | 'light' | 'dark'
}

export interface MountedDuoChat {
  unmount(): void
}

// The host page's styles must not reach the drawer, and the drawer's must not reach the page:
// everything lives in a shadow root, and inherited properties start from their initial values.
const SHADOW_CSS = `:host { all: initial; }\n${drawerCss}`

/**
 * Mounts the drawer into `target` (an element or a selector), inside a shadow root. One drawer
 * per page: the drawer's open state and command queue are global.
 */
export function mount(target: Element | string, options: MountOptions): MountedDuoChat {
  const host = typeof target === 'string' ? document.querySelector(target) : target
  if (!host) throw new Error(`[duo-chat-drawer]: mount() found no element for "${String(target)}".`)
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' })
  const style = document.createElement('style')
  style.textContent = SHADOW_CSS
  const container = document.createElement('div')
  shadow.append(style, container)
  const { title, theme, ...pluginOptions } = options
  // Every event also reaches the page as a `duo-chat-event` DOM event on the host element.
  const onEvent = options.onEvent
  pluginOptions.onEvent = (event) => {
    host.dispatchEvent(new CustomEvent('duo-chat-event', { detail: event, bubbles: true, composed: true }))
    onEvent?.(event)
  }
  // A host that takes code hears it as a `duo-chat-insert-code` DOM event too ({ code, language }).
  const onInsertCode = options.onInsertCode
  if (onInsertCode) {
    pluginOptions.onInsertCode = (code, language) => {
      host.dispatchEvent(new CustomEvent('duo-chat-insert-code', { detail: { code, language }, bubbles: true, composed: true }))
      onInsertCode(code, language)
    }
  }
  const app: App = createApp(DuoChatDrawer, { ...(title ? { title } : {}), ...(theme ? { theme } : {}) }).use(createDuoChat(pluginOptions))
  app.mount(container)
  return {
    unmount() {
      app.unmount()
      style.remove()
      container.remove()
    },
  }
}

const CONNECTION_ATTRIBUTES = ['graphql-url', 'ws-url', 'user-id', 'token', 'transport', 'cable-url', 'csrf-token', 'title', 'theme', 'min-width', 'max-width'] as const

/**
 * `<duo-chat-drawer graphql-url user-id token [ws-url] [resource-id] [title]>`: the drawer for
 * plain HTML pages. Inside a GitLab page, `<duo-chat-drawer transport="actioncable" user-id>`
 * (with optional `cable-url`, `graphql-url` and `csrf-token`) uses the page's session instead.
 * `min-width`/`max-width` (px) bound the resizable drawer; code blocks offer "Insert code", which
 * dispatches a `duo-chat-insert-code` event (`detail: { code, language }`) on the element.
 */
// Importing the script where there is no DOM (Node, a server render) must not throw: the element
// then has nothing to extend, and nothing registers it.
const ElementBase = typeof HTMLElement === 'undefined' ? (class {} as typeof HTMLElement) : HTMLElement

export class DuoChatDrawerElement extends ElementBase {
  static observedAttributes = [...CONNECTION_ATTRIBUTES, 'resource-id']
  private mounted: MountedDuoChat | null = null

  connectedCallback(): void {
    this.syncResource()
    this.remount()
  }

  disconnectedCallback(): void {
    this.mounted?.unmount()
    this.mounted = null
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (previous === next || !this.isConnected) return
    // The resource is page state, not connection state: switching it keeps the conversation.
    if (name === 'resource-id') this.syncResource()
    else this.remount()
  }

  private syncResource(): void {
    const resourceId = this.getAttribute('resource-id')
    if (resourceId) duoChatGlobalState.resourceId = resourceId
  }

  private remount(): void {
    this.mounted?.unmount()
    this.mounted = null
    const graphqlUrl = this.getAttribute('graphql-url') ?? undefined
    const userId = this.getAttribute('user-id')
    const transport = this.getAttribute('transport') ?? 'graphql-ws'
    if (transport !== 'graphql-ws' && transport !== 'actioncable') {
      console.warn(`[duo-chat-drawer]: <duo-chat-drawer transport> must be "graphql-ws" or "actioncable", not "${transport}".`)
      return
    }
    if ((!graphqlUrl && transport === 'graphql-ws') || !userId) {
      console.warn('[duo-chat-drawer]: <duo-chat-drawer> needs the "graphql-url" and "user-id" attributes ("user-id" alone with transport="actioncable").')
      return
    }
    const connection = transport === 'actioncable' ? { transport: 'actioncable' as const, graphqlUrl } : { transport: 'graphql-ws' as const, graphqlUrl: graphqlUrl! }
    this.mounted = mount(this, {
      ...connection,
      userId,
      cableUrl: this.getAttribute('cable-url') ?? undefined,
      csrfToken: this.getAttribute('csrf-token') ?? undefined,
      wsUrl: this.getAttribute('ws-url') ?? undefined,
      token: this.getAttribute('token') ?? undefined,
      title: this.getAttribute('title') ?? undefined,
      theme: parseTheme(this.getAttribute('theme')),
      minWidth: parseWidth(this.getAttribute('min-width')),
      maxWidth: parseWidth(this.getAttribute('max-width')),
      // The page listens for `duo-chat-insert-code` events: the element always offers Insert code.
      onInsertCode: () => {},
    })
  }
}

/** `min-width="360"` (px); anything else is ignored with a warning. */
function parseWidth(value: string | null): number | undefined {
  if (value === null) return undefined
  const width = Number(value.replace(/px$/, ''))
  if (Number.isFinite(width) && width > 0) return width
  console.warn(`[duo-chat-drawer]: <duo-chat-drawer> width attributes take a number of pixels, not "${value}".`)
  return undefined
}

function parseTheme(value: string | null): MountOptions['theme'] {
  return value === 'light' || value === 'dark' || value === 'auto' ? value : undefined
}

/** What a script-tag host finds on `window.DuoChat`. */
export interface DuoChatGlobal {
  mount: typeof mount
  sendDuoChatCommand: typeof sendDuoChatCommand
  duoChatGlobalState: typeof duoChatGlobalState
  focusChatInput: typeof focusChatInput
  registerContextProvider: typeof registerContextProvider
}

declare global {
  interface Window {
    DuoChat?: DuoChatGlobal
  }
}

if (typeof window !== 'undefined') {
  window.DuoChat ??= { mount, sendDuoChatCommand, duoChatGlobalState, focusChatInput, registerContextProvider }
  if (!customElements.get('duo-chat-drawer')) customElements.define('duo-chat-drawer', DuoChatDrawerElement)
}
