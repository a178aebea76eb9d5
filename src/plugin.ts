import type { ImageAttachmentOptions } from './composables/useImageAttachments'
import type { SpeechSynthesisAdapter } from './composables/useReadAloud'
import type { VoiceInputOptions } from './composables/useVoiceInput'
import { createPinia } from 'pinia'
import { shallowRef, type App, type Plugin } from 'vue'
import { duoChatConfigKey } from './state/config'
import { commandQueue, duoChatGlobalState } from './state/globalState'
import { createEventSink, observeCommands, type DuoChatEventHandler, type TraceparentSource } from './events/index'
import { configureResourceNames } from './state/contexts'
import { defaultLabels, duoChatLabelsKey, type DuoChatLabels } from './state/labels'
import { parseShortcut } from './state/shortcut'
import { checkWidths } from './composables/useResizable'
import { prefetchWhenIdle } from './lazy/prefetch'
import { configureRendererSanitizer } from './lazy/renderer'
import type { DuoChatConfig } from './state/types'
import { createChatApi, type DuoChatApi } from './transport/chatApi'
import { createApolloClient, type ConnectionStatus } from './transport/createApolloClient'

/**
 * The plugin's options. `graphqlUrl` is required with the default transport, 'graphql-ws'; with
 * transport 'actioncable' (inside a GitLab page: GitLab's `GraphqlChannel`, the session cookie and
 * the page's CSRF token instead of a bearer token) it defaults to `/api/graphql` on the page's origin.
 */
export type DuoChatOptions = DuoChatCommonOptions &
  (
    | {
        /** @default 'graphql-ws' */
        transport?: 'graphql-ws'
        /** HTTP GraphQL endpoint for queries and mutations. */
        graphqlUrl: string
      }
    | {
        transport: 'actioncable'
        /** HTTP GraphQL endpoint for queries and mutations. @default '/api/graphql' on the page's origin */
        graphqlUrl?: string
      }
  )

/** The options every transport takes. */
export interface DuoChatCommonOptions {
  /** ActionCable endpoint (transport 'actioncable'). @default '/-/cable' on the page's origin */
  cableUrl?: string
  /**
   * CSRF token sent as `X-CSRF-Token` on HTTP requests (transport 'actioncable'), or a function returning it.
   * @default the page's `<meta name="csrf-token">`
   */
  csrfToken?: string | (() => string | undefined)
  /** graphql-transport-ws endpoint. @default graphqlUrl with http(s) replaced by ws(s) */
  wsUrl?: string
  /** The signed-in user's global id, e.g. `gid://gitlab/User/1`. */
  userId: string
  /** Bearer token, or a function returning the current one. */
  token?: string | (() => string | undefined)
  /** Global id of the resource the host page shows; questions are about it. @default null */
  resourceId?: string | null
  /** Longest prompt accepted, in characters. @default 10000 */
  maxPromptLength?: number
  /** A request with no sign of life for this long ends with error M1001. @default 60000 */
  requestTimeoutMs?: number
  /** Keyboard shortcut that toggles the drawer from anywhere in the page; false turns it off. @default 'Alt+D' */
  shortcut?: string | false
  /** Replaces any of the drawer's English strings (and so its accessibility names). @default English */
  labels?: Partial<DuoChatLabels>
  /** Origins that images in answers may load from; others show their alt text. @default the page's own origin */
  allowedImageOrigins?: readonly string[]
  /** Replaces the Apollo transport, e.g. with a fake in tests. @default the Apollo client for graphqlUrl */
  api?: DuoChatApi
  /**
   * Receives the drawer's events (question, first_chunk, answer, error, stop, retry, reconnect,
   * feedback, command) with ids, counts, codes and timings; see docs/observability.md. @default none
   */
  onEvent?: DuoChatEventHandler
  /** Events also carry message text (questions, answers, feedback details). @default false */
  includeTextInEvents?: boolean
  /**
   * The W3C `traceparent` sent with each `aiAction`: `true` makes a new one per request, a
   * function returns the host's own (the gateway's spans then join the host's trace), `false`
   * sends none (for an endpoint whose CORS rules refuse the header). @default true
   */
  traceparent?: TraceparentSource
  /**
   * Takes code from answers into the host (e.g. the editor the user is in): code blocks then get
   * an "Insert code" button beside Copy, which calls this with the code as written and its
   * language ('' when the block names none). @default none (no button)
   */
  onInsertCode?: (code: string, language: string) => void
  /**
   * Speak the Duo Chat V2 extension of the gateway's API (reactive context providers, an answer's
   * context used and steps; see mocks/PROTOCOL.md). GitLab's own API lacks it, so a drawer inside
   * a GitLab page leaves it off; proactive providers' items still go as GitLab's `additionalContext`.
   * @default true with transport 'graphql-ws', false with 'actioncable'
   */
  v2?: boolean
  /** Narrowest width the drawer can be resized to, in px. @default 320 */
  minWidth?: number
  /** Widest width the drawer can be resized to, in px (never wider than the window). @default 800 */
  maxWidth?: number
  /**
   * Images as context ("Attach image", "Share screen", paste, drop); `false` turns them off. Needs
   * the gateway's extension (`v2`); see docs/guide/multimodal.md.
   * @default { maxFileBytes: 5 MB, maxSide: 1568, maxUploadBytes: 700000, maxTotalUploadBytes: 700000 } when `v2` is on, off otherwise
   */
  images?: ImageAttachmentOptions | false
  /**
   * "Read aloud" on answers; `false` turns it off, `{ synthesis }` brings another speech engine.
   * Hidden where the browser has no speechSynthesis. @default true (the browser's speechSynthesis)
   */
  readAloud?: boolean | { synthesis: SpeechSynthesisAdapter }
  /**
   * "Voice input" beside the prompt; `false` turns it off. `recognize` turns a recording into text
   * where the browser has no speech recognition (bring your own speech-to-text).
   * @default the browser's SpeechRecognition, else a recording sent to the gateway's duoChatTranscribe (when `v2` is on); 60 s at most
   */
  speech?: VoiceInputOptions | false
}

/**
 * The Vue plugin: `app.use(createDuoChat({ graphqlUrl, userId, token }))`, then place
 * `<DuoChatDrawer />` anywhere. Installs Pinia too if the host app has none.
 */
export function createDuoChat(options: DuoChatOptions): Plugin {
  const { graphqlUrl, wsUrl, userId, token, cableUrl, csrfToken, resourceId = null, maxPromptLength = 10_000, requestTimeoutMs = 60_000, shortcut = 'Alt+D' } = options
  const transport: unknown = options.transport ?? 'graphql-ws'
  if (transport !== 'graphql-ws' && transport !== 'actioncable') {
    throw new TypeError(`[duo-chat-drawer]: createDuoChat() takes transport 'graphql-ws' or 'actioncable', got ${JSON.stringify(transport)}.`)
  }
  if (!graphqlUrl && !options.api && transport === 'graphql-ws') throw new Error('[duo-chat-drawer]: createDuoChat() needs a graphqlUrl.')
  if (!userId) throw new Error("[duo-chat-drawer]: createDuoChat() needs the signed-in user's userId, e.g. 'gid://gitlab/User/1'.")

  const parsedShortcut = shortcut === false ? null : parseShortcut(shortcut)
  // GitLab's own API (ActionCable, inside a GitLab page) lacks the gateway's extensions.
  const v2 = options.v2 ?? transport !== 'actioncable'
  checkWidths(options.minWidth, options.maxWidth)

  return {
    install(app: App) {
      const connectionStatus = shallowRef<ConnectionStatus>('idle')
      let api = options.api
      if (!api) {
        const apollo = createApolloClient({
          graphqlUrl,
          wsUrl,
          token,
          transport,
          cableUrl,
          csrfToken,
          onConnectionStatus: (status) => (connectionStatus.value = status),
        })
        // A host that unmounts the drawer's app must not leave a socket reconnecting behind it.
        app.onUnmount(() => void apollo.dispose())
        api = createChatApi({ ...apollo, v2 })
      }
      const events = createEventSink({ onEvent: options.onEvent, includeText: options.includeTextInEvents })
      if (events) app.onUnmount(observeCommands(commandQueue, events))
      const config: DuoChatConfig = {
        api,
        userId,
        maxPromptLength,
        requestTimeoutMs,
        connectionStatus,
        shortcut: parsedShortcut,
        events,
        traceparent: options.traceparent ?? true,
        onInsertCode: options.onInsertCode,
        minWidth: options.minWidth,
        maxWidth: options.maxWidth,
        speech: options.speech,
        readAloud: options.readAloud === false ? false : typeof options.readAloud === 'object' ? options.readAloud : undefined,
        images: options.images === false || (options.images?.enabled ?? true) === false || !v2 ? false : (options.images ?? {}),
      }
      if (resourceId !== null) duoChatGlobalState.resourceId = resourceId
      // The host's Pinia wins when it was installed first; otherwise the drawer brings its own.
      if (!app.config.globalProperties.$pinia) app.use(createPinia())
      if (options.allowedImageOrigins) configureRendererSanitizer({ allowedImageOrigins: options.allowedImageOrigins })
      // The renderer (marked, DOMPurify) and the panels are not part of the first load: they arrive while the page is idle.
      prefetchWhenIdle()
      app.provide(duoChatConfigKey, config)
      const labels: DuoChatLabels = { ...defaultLabels, ...options.labels }
      app.provide(duoChatLabelsKey, labels)
      // Chips of the page's resource are made outside components (queued commands too): they get the labels' naming here.
      configureResourceNames(labels.resourceName)
    },
  }
}
