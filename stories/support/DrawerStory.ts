import { createApp, defineComponent, h, onBeforeUnmount, onMounted, ref, watch, type PropType } from 'vue'
import { createMockGateway, type MockGateway, type MockScenario } from '../../mocks/index'
import { createDuoChat, DuoChatDrawer, duoChatGlobalState, sendDuoChatCommand } from '../../src/index'
import type { ContextItem } from '../../src/state/contexts'
import { commandQueue } from '../../src/state/globalState'
import { mswRuntime } from './msw'
import { delayedTranscriber, fakeMicrophone, scriptedRecognition, silentSynthesis, spokenTexts } from './speechFakes'
import './host.css'

/** The stories' gateway address: a reserved `.test` host that only msw answers. */
export const STORY_GRAPHQL_URL = 'https://duo-gateway.test/graphql'

/** Everything a story controls: the host page, the gateway's timing and a scripted answer. */
export interface DrawerStoryArgs {
  /** The drawer is open when the story starts. */
  open: boolean
  /** Who is signed in. */
  user: 'alice' | 'bob'
  /** The resource the host page shows; questions are about it. */
  resourceId: string
  /** The drawer's colour scheme: `auto` follows `prefers-color-scheme`. */
  theme: 'auto' | 'light' | 'dark'
  /** Text direction of the host page and the drawer's `dir` prop; empty follows the page. */
  dir: '' | 'ltr' | 'rtl' | 'auto'
  /** The title of the page resource's chip; empty derives it from the id ("Issue 1"). */
  resourceTitle: string
  /** Context the host attaches, each a chip beside the prompt (`duoChatGlobalState.contexts`). */
  contexts: ContextItem[]
  /** Questions the host sends with `sendDuoChatCommand` when the story starts, in order. */
  questions: string[]
  /** Earlier conversations in the user's history, for "Chat history" (one question each). */
  extraThreads: number
  /** The drawer's `requestTimeoutMs`: an answer with no sign of life for this long is looked up in history, then fails with M1001. */
  requestTimeoutMs: number
  /** Question-and-answer pairs stored in the user's history before the drawer opens. */
  historyTurns: number
  /** Gateway: milliseconds per tool call. */
  toolMs: number
  /** Gateway: milliseconds between streamed chunks. */
  chunkDelayMs: number
  /** Gateway: characters per chunk. */
  chunkSize: number
  /** Script the first question's answer with the scenario fields below instead of the agent. */
  scripted: boolean
  /** Scenario: the answer's text; empty lets the agent answer, streamed as scripted. */
  scenarioText: string
  /** Scenario: end with this error code (e.g. A1001); empty for none. */
  scenarioErrorCode: string
  /** Scenario: chunk order. */
  scenarioOrder: 'in-order' | 'shuffled' | 'duplicated'
  /** Scenario: milliseconds between chunks. */
  scenarioDelayMs: number
  /** Scenario: characters per chunk. */
  scenarioChunkSize: number
  /** Scenario: drop the socket after this chunk; 0 for never. */
  dropConnectionAfterChunk: number
  /** The host takes code (`onInsertCode`): code blocks get "Insert code", and the page shows what arrived. */
  insertCode: boolean
  /**
   * Voice input: the browser's own; a scripted speech recognition that hears "How do I create an
   * issue?" and listens until stopped; or a fake microphone whose recording the gateway transcribes.
   */
  voice: 'browser' | 'recognition' | 'recording'
  /** Gateway: milliseconds its speech-to-text takes for a recording that is no fixture clip; it hears "How do I create an issue?". */
  transcriptionMs: number
  /** Read aloud: the browser's speechSynthesis, or a silent one that speaks until "Stop reading". */
  readAloud: 'browser' | 'silent'
}

/** Defaults of every story: alice on issue #1, the demo's pace, nothing scripted. */
export const defaultStoryArgs: DrawerStoryArgs = {
  open: true,
  user: 'alice',
  resourceId: 'gid://gitlab/Issue/1',
  theme: 'auto',
  dir: '',
  resourceTitle: '',
  contexts: [],
  questions: [],
  historyTurns: 0,
  extraThreads: 0,
  requestTimeoutMs: 60_000,
  toolMs: 300,
  chunkDelayMs: 25,
  chunkSize: 6,
  scripted: false,
  scenarioText: '',
  scenarioErrorCode: '',
  scenarioOrder: 'in-order',
  scenarioDelayMs: 25,
  scenarioChunkSize: 6,
  dropConnectionAfterChunk: 0,
  insertCode: false,
  voice: 'browser',
  transcriptionMs: 1_000,
  readAloud: 'browser',
}

/** What the host page received from "Insert code" last (the story's stand-in for an editor). */
const insertedCode = ref<{ code: string; language: string } | null>(null)

interface MountedStory {
  mock: MockGateway
  unmount(): void
}

declare global {
  interface Window {
    /** The running story's mock gateway, to script answers from the browser console. */
    duoMockGateway?: MockGateway
  }
}

/** The host page: an issue with a button that opens the drawer, and the drawer. */
const HostPage = defineComponent({
  name: 'StoryHostPage',
  props: {
    resourceId: { type: String, required: true },
    theme: { type: String as PropType<DrawerStoryArgs['theme']>, default: 'auto' },
    dir: { type: String as PropType<DrawerStoryArgs['dir']>, default: '' },
  },
  setup(props) {
    return () =>
      h('div', { class: 'story-host', dir: props.dir || undefined }, [
        h('header', { class: 'story-host__bar' }, [
          h('span', 'acme / shop'),
          h('button', { type: 'button', onClick: () => (duoChatGlobalState.isShown = !duoChatGlobalState.isShown) }, 'Ask GitLab Duo'),
        ]),
        h('main', { class: 'story-host__page' }, [
          h('h1', 'Checkout button unresponsive on Safari'),
          h('p', props.resourceId),
          insertedCode.value
            ? h('pre', { class: 'story-host__inserted', 'aria-label': `Inserted ${insertedCode.value.language || 'code'}` }, insertedCode.value.code)
            : null,
        ]),
        h(DuoChatDrawer, { theme: props.theme, dir: props.dir || undefined }),
      ])
  },
})

/** Questions of earlier conversations, oldest first. */
const EARLIER_TOPICS = [
  'How do I create an epic?',
  'Summarize merge request !1',
  'What does the pipeline editor do?',
  'Who reported issue #1?',
  'How do I close an issue from a merge request?',
  'What is a merge request?',
  'How are CI/CD stages ordered?',
  'What changed in the checkout flow?',
]

/** The turns of a long conversation, for the history stories. */
export function conversation(turns: number): { question: string; answer: string }[] {
  return Array.from({ length: turns }, (_, index) => ({
    question: `Question ${index + 1}: what changed in step ${index + 1} of the checkout?`,
    answer: `Step ${index + 1} now validates the cart before payment. See \`checkout/step${index + 1}.ts\`.`,
  }))
}

/**
 * Every story starts with a new gateway, so the conversation the drawer remembers from the last
 * one (in localStorage, as across page loads) no longer exists. Only the drawer's keys go:
 * Storybook keeps its own settings in the same storage.
 */
function forgetRememberedThreads(): void {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith('duo-chat-drawer:')) localStorage.removeItem(key)
  } catch {
    // Storage may be off; then nothing was remembered either.
  }
}

function scenarioOf(args: DrawerStoryArgs): MockScenario {
  const input: MockScenario = { user: args.user, order: args.scenarioOrder, delayMs: args.scenarioDelayMs, chunkSize: args.scenarioChunkSize }
  if (args.scenarioText) input.text = args.scenarioText
  if (args.scenarioErrorCode) input.errorCode = args.scenarioErrorCode
  if (args.dropConnectionAfterChunk > 0) input.dropConnectionAfterChunk = args.dropConnectionAfterChunk
  return input
}

/**
 * Starts a fresh mock gateway for the args, points msw at it and mounts the host page as its own
 * Vue app with the public plugin, so that each story (and each change of a control) starts from
 * an empty store and a new connection, as a page load would.
 */
async function mountStory(el: HTMLElement, args: DrawerStoryArgs): Promise<MountedStory> {
  commandQueue.clear()
  forgetRememberedThreads()
  Object.assign(duoChatGlobalState, {
    isShown: false,
    resourceId: args.resourceId,
    resourceTitle: args.resourceTitle || null,
    contexts: args.contexts.map((item) => ({ ...item })),
  })
  const transcriber = delayedTranscriber(args.transcriptionMs)
  const mock = createMockGateway({
    timing: { toolMs: args.toolMs, chunkDelayMs: args.chunkDelayMs, chunkSize: args.chunkSize },
    graphqlUrl: STORY_GRAPHQL_URL,
    engine: { transcriber },
  })
  ;(await mswRuntime()).use(mock.handlers)
  for (const [index, topic] of EARLIER_TOPICS.slice(0, args.extraThreads).entries()) {
    await mock.seedConversation([{ question: topic, answer: `Answer ${index + 1}: see the issue's discussion.` }], { user: args.user })
  }
  if (args.historyTurns > 0) await mock.seedConversation(conversation(args.historyTurns), { user: args.user })
  if (args.scripted) mock.scenario(scenarioOf(args))

  const app = createApp(HostPage, { resourceId: args.resourceId, theme: args.theme, dir: args.dir })
  insertedCode.value = null
  const onInsertCode = args.insertCode ? (code: string, language: string) => (insertedCode.value = { code, language }) : undefined
  spokenTexts.length = 0
  const speech = args.voice === 'recognition' ? { recognition: scriptedRecognition } : args.voice === 'recording' ? { recognition: null, recorder: fakeMicrophone } : undefined
  const readAloud = args.readAloud === 'silent' ? { synthesis: silentSynthesis() } : undefined
  app.use(
    createDuoChat({ ...mock.duoChatOptions(args.user), resourceId: args.resourceId, requestTimeoutMs: args.requestTimeoutMs, shortcut: false, onInsertCode, speech, readAloud }),
  )
  app.mount(el)
  window.duoMockGateway = mock
  if (args.open) duoChatGlobalState.isShown = true
  for (const question of args.questions) {
    // A rebuild drops the queue; a dropped or failed command is part of the story, not an error.
    sendDuoChatCommand({ question, resourceId: args.resourceId }).catch(() => {})
  }
  return {
    mock,
    unmount() {
      commandQueue.clear()
      app.unmount()
      duoChatGlobalState.isShown = false
      if (window.duoMockGateway === mock) delete window.duoMockGateway
      transcriber.dispose()
      mock.dispose()
    },
  }
}

/**
 * Renders one story: the host page with the drawer, backed by a mock gateway made from the args.
 * A change of any control rebuilds the gateway and the page (debounced while a slider moves).
 */
export const DrawerStory = defineComponent({
  name: 'DrawerStory',
  props: { args: { type: Object as PropType<DrawerStoryArgs>, required: true } },
  setup(props) {
    const root = ref<HTMLElement | null>(null)
    let current: Promise<MountedStory | null> = Promise.resolve(null)
    let debounce: ReturnType<typeof setTimeout> | undefined
    let alive = true

    const rebuild = () => {
      const args = JSON.parse(JSON.stringify(props.args)) as DrawerStoryArgs
      current = current.then(async (previous) => {
        previous?.unmount()
        if (!alive || !root.value) return null
        return mountStory(root.value, args)
      })
    }

    onMounted(rebuild)
    watch(
      () => JSON.stringify(props.args),
      () => {
        clearTimeout(debounce)
        debounce = setTimeout(rebuild, 300)
      },
    )
    onBeforeUnmount(() => {
      alive = false
      clearTimeout(debounce)
      current = current.then((previous) => {
        previous?.unmount()
        return null
      })
    })
    return () => h('div', { ref: root, class: 'drawer-story' })
  },
})
