// @vitest-environment jsdom
/**
 * Every string the drawer shows or announces comes from `labels`: with every key replaced by a
 * sentinel, a whole conversation leaves no English in the text, the names or the live region.
 * The conversation's own content (questions, answers, titles) is Cyrillic, so that any Latin word
 * left over is one of ours.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { createDuoChat } from '../plugin'
import { defaultRendererLabels } from '../render/labels'
import { duoChatGlobalState } from '../state/globalState'
import { defaultLabels, type DuoChatLabels } from '../state/labels'
import { sendDuoChatCommand } from '../state/sendDuoChatCommand'
import { registerContextProvider } from '../context/registry'
import DuoChatDrawer from './DuoChatDrawer.vue'

/** Strings become `⟦key⟧`, functions `⟦key(arguments)⟧`. */
const sentinels = Object.fromEntries(
  Object.entries(defaultLabels).map(([key, value]) => [
    key,
    typeof value === 'function' ? (...args: unknown[]) => `⟦${key}(${args.join('|')})⟧` : `⟦${key}⟧`,
  ]),
) as unknown as DuoChatLabels

const SENTINEL = /⟦([A-Za-z]+)[^⟧]*⟧/g
const NAMED_BY = ['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription', 'aria-valuetext']

/** What the drawer says: its text (live region included) and the names and hints in its attributes. */
function whatTheDrawerSays(): string[] {
  const aside = document.querySelector('aside')!
  const copy = aside.cloneNode(true) as HTMLElement
  // Times follow the locale (Intl), not the labels.
  for (const time of copy.querySelectorAll('time')) time.remove()
  const attributes = [aside, ...aside.querySelectorAll('*')].flatMap((el) => NAMED_BY.map((name) => el.getAttribute(name)).filter((v): v is string => !!v))
  return [copy.textContent ?? '', ...attributes]
}

const seen = new Set<string>()

/** Fails with the English left over once sentinels are taken out, naming the step. */
function expectNoEnglish(step: string): void {
  const leftovers = whatTheDrawerSays().flatMap((text) => {
    for (const match of text.matchAll(SENTINEL)) seen.add(match[1]!)
    // Slash commands are typed as they are, in any language.
    return text.replace(SENTINEL, ' ').replace(/(^|\s)\/[a-z]+\b/g, ' ').match(/[A-Za-z]{2,}.{0,30}/g) ?? []
  })
  expect(leftovers, `English left ${step}`).toEqual([])
  const said = whatTheDrawerSays().join('\n').replace(SENTINEL, ' ')
  const defaults = Object.values({ ...defaultRendererLabels, ...defaultLabels }).filter((v): v is string => typeof v === 'string')
  expect(defaults.filter((text) => said.includes(text)), `defaults left ${step}`).toEqual([])
}

const byName = (name: string, root: ParentNode = document) =>
  [...root.querySelectorAll<HTMLElement>('button, summary, [role="option"]')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name)
const prompt = () => document.querySelector<HTMLTextAreaElement>('textarea[aria-label="⟦prompt⟧"]')!

async function type(text: string) {
  prompt().value = text
  prompt().dispatchEvent(new Event('input'))
  await flushPromises()
}

async function press(key: string) {
  prompt().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
  await flushPromises()
}

describe('labels', () => {
  let api: FakeChatApi
  let wrapper: VueWrapper
  beforeEach(() => {
    localStorage.clear()
    seen.clear()
    duoChatGlobalState.isShown = false
    duoChatGlobalState.resourceId = 'gid://gitlab/Issue/1'
    duoChatGlobalState.contexts = [
      { id: 'file-1', category: 'FILE', title: 'файл', content: 'содержимое' },
      { id: 'gid://gitlab/Issue/9', category: 'ISSUE', title: 'закрытая задача' },
    ]
    api = new FakeChatApi()
    api.unavailable = { 'gid://gitlab/Issue/9': 'нет доступа' }
    api.searchResults = [
      { id: 'gid://gitlab/Issue/2', category: 'ISSUE', title: 'задача два', description: 'описание', enabled: true },
      { id: 'gid://gitlab/Issue/3', category: 'ISSUE', title: 'задача три', description: null, enabled: false, disabledReason: null },
    ] as FakeChatApi['searchResults']
    wrapper = mount(DuoChatDrawer, {
      attachTo: document.body,
      global: { plugins: [createDuoChat({ graphqlUrl: 'http://gateway.test/graphql', userId: 'gid://gitlab/User/1', api, labels: sentinels, maxPromptLength: 40, onInsertCode: () => {} })] },
    })
  })
  const unregisterProviders: (() => void)[] = []
  afterEach(() => {
    for (const unregister of unregisterProviders.splice(0)) unregister()
    wrapper.unmount()
    document.body.innerHTML = ''
    duoChatGlobalState.isShown = false
    duoChatGlobalState.contexts = []
    vi.unstubAllGlobals()
  })

  it('leaves no English default in the drawer through a whole conversation', async () => {
    // Opening: the conversation cannot load at first, then loads empty.
    const loadMessages = api.loadMessages.bind(api)
    api.loadMessages = async () => {
      throw new Error('сбой')
    }
    duoChatGlobalState.isShown = true
    await flushPromises()
    expect(document.querySelector('[role="alert"]')!.textContent).toContain('⟦unreachable(')
    expectNoEnglish('with the conversation unreachable')
    api.loadMessages = loadMessages
    byName('⟦retry⟧')!.click()
    await flushPromises()
    expectNoEnglish('in an empty conversation')

    // Context chips, one of them unavailable, with their details open.
    document.querySelector<HTMLButtonElement>('.duo-chat-chip__label')!.click()
    await flushPromises()
    expect(document.querySelector('.duo-chat-chip__details')!.textContent).toContain('⟦category(ISSUE)⟧')
    expectNoEnglish('beside the context chips')

    // The slash menu, the /include search, and a prompt that is too long.
    await type('/')
    expectNoEnglish('in the slash menu')
    await type('/include ')
    expectNoEnglish('in the /include menu')
    await type('/include задача')
    await vi.waitFor(() => expect(document.querySelectorAll('[role="option"]')).toHaveLength(2))
    expectNoEnglish('in the /include results')
    await type('Очень длинный вопрос, длиннее сорока знаков.')
    await press('Enter')
    expect(document.querySelector('.duo-chat-prompt__problem')!.textContent).toContain('⟦promptTooLong(')
    expectNoEnglish('with the prompt refused')

    // A question, a tool step, a streamed answer.
    await type('Что это?')
    await press('Enter')
    expect(document.querySelector('[aria-live="polite"]')!.textContent).toBe('⟦responding⟧')
    expectNoEnglish('while GitLab Duo thinks')
    const csid = api.lastClientSubscriptionId
    api.toRequest(csid, { role: 'SYSTEM', type: 'TOOL', content: 'Читатель задач' })
    api.toRequest(csid, { requestId: 'request-1', chunkId: 1, content: 'Это **задача**' })
    await flushPromises()
    expectNoEnglish('while the answer streams')

    // The complete answer: a code block with a hidden character, a look-alike link, sources.
    api.broadcast({
      requestId: 'request-1',
      role: 'ASSISTANT',
      id: 'gid://gitlab/Ai::Message/1',
      content: 'Это **задача** о [оплате](https://пример.испытание/путь).\n\n```\nпечать(\u202Eтекст)\n```\n\n| Браузер | Версия |\n| --- | --- |\n| Сафари | 17 |\n',
      extras: { sources: [{ title: 'Документация', source_url: 'https://docs.example.com/путь' }, {}] },
    })
    await flushPromises()
    await vi.waitFor(() => expect(byName('⟦copyCode⟧')).toBeDefined())
    const answer = () => document.querySelectorAll('article')[1]!
    expect(answer().querySelector('ol[aria-label="⟦steps⟧"]')!.textContent).toBe('Читатель задач')
    expect(answer().textContent).toContain('⟦linkDestination(')
    expect(answer().querySelector('[role="region"][aria-label="⟦table⟧"] table')).not.toBeNull()
    expect(byName('⟦insertCode⟧', answer())).toBeDefined()
    expect(answer().textContent).toContain('⟦source(2)⟧')
    expect(document.querySelector('[aria-live="polite"]')!.textContent).toBe('⟦answerReady⟧')
    expectNoEnglish('with the answer complete')

    // Copying when the page refuses the clipboard, and feedback.
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async () => Promise.reject(new Error('нет')) }, configurable: true })
    byName('⟦copyCode⟧')!.click()
    byName('⟦copy⟧', answer().querySelector('.duo-chat-actions')!)!.click()
    await flushPromises()
    expect(byName('⟦copyFailed⟧')).toBeDefined()
    byName('⟦notHelpful⟧')!.click()
    await flushPromises()
    expectNoEnglish('with the code not copied and feedback asked for')
    byName('⟦sendFeedback⟧')!.click()
    await flushPromises()
    expect(answer().textContent).toContain('⟦feedbackThanks⟧')
    expectNoEnglish('with feedback sent')

    // Two commands: the first runs, the second waits and is removed; the first fails, is retried, and stopped.
    const first = sendDuoChatCommand({ question: 'Первая команда', resourceId: 'gid://gitlab/Issue/1' }).catch((error: unknown) => error)
    const second = sendDuoChatCommand({
      question: 'Вторая команда',
      resourceId: 'gid://gitlab/Issue/1',
      contexts: [{ id: 'file-3', category: 'SNIPPET', title: 'фрагмент', content: 'код' }],
    }).catch((error: unknown) => error)
    await flushPromises()
    expect(document.querySelector('ul[aria-label="⟦queuedPrompts⟧"]')).not.toBeNull()
    expectNoEnglish('while commands wait')
    byName('⟦remove(Вторая команда)⟧')!.click()
    await flushPromises()
    expect(await second).toMatchObject({ name: 'AbortError' })
    await vi.waitFor(() => expect(api.sent.map((s) => s.question)).toContain('Первая команда'))
    api.broadcast({ requestId: 'request-2', role: 'ASSISTANT', content: '', errors: ['Error code: M3003'] })
    await flushPromises()
    expect(await first).toMatchObject({ code: 'M3003' })
    const failed = document.querySelectorAll('article')[3]!
    expect(failed.querySelector('[role="alert"]')!.textContent).toContain('⟦errorMessage(M3003)⟧')
    expect(failed.querySelector('[role="alert"]')!.textContent).toContain('⟦errorCode(M3003)⟧')
    expectNoEnglish('with an error')
    byName('⟦retry⟧', failed)!.click()
    await flushPromises()
    byName('⟦stop⟧')!.click()
    await flushPromises()
    expect(document.querySelector('article:last-of-type')!.textContent).toContain('⟦stopped⟧')
    expectNoEnglish('with the answer stopped')

    // The reader scrolls up: "Jump to latest".
    const log = document.querySelector<HTMLElement>('[role="log"]')!
    Object.defineProperty(log, 'scrollTop', { configurable: true, get: () => 100, set: () => {} })
    log.dispatchEvent(new WheelEvent('wheel', { deltaY: -40 }))
    await flushPromises()
    expect(byName('⟦jumpToLatest⟧')).toBeDefined()
    expectNoEnglish('scrolled up')

    // /help, then a new conversation.
    await type('/help')
    await press('Escape')
    await press('Enter')
    expect(document.querySelector('article:last-of-type')!.textContent).toContain('⟦commandDescription(/explain)⟧')
    expectNoEnglish('after /help')
    await type('/clear')
    await press('Escape')
    await press('Enter')
    expect(document.querySelector('[aria-live="polite"]')!.textContent).toBe('⟦newConversationStarted⟧')
    expectNoEnglish('in a new conversation')

    // Context sources: the gateway's and the page's providers, one turned off; a provider that fails;
    // an answer that says what reached the model and the steps that read it.
    api.gatewayProviders = [{ name: 'documentationProvider', title: 'Документация', mode: 'proactive', description: null }]
    unregisterProviders.push(
      registerContextProvider({ name: 'selection', title: 'Выделение', category: 'SNIPPET', mode: 'reactive', provide: async () => null }),
      registerContextProvider({ name: 'tabs', title: 'Вкладки', category: 'FILE', mode: 'proactive', provide: () => Promise.reject(new Error('нет')) }),
    )
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    byName('⟦contextSources⟧')!.click()
    await flushPromises()
    expect([...document.querySelectorAll('[role="switch"]')].map((s) => s.textContent!.trim())).toEqual(['Документация', 'Выделение', 'Вкладки'])
    document.querySelector<HTMLElement>('[role="switch"]')!.click()
    await flushPromises()
    expect(document.querySelector('[role="switch"]')!.getAttribute('aria-checked')).toBe('false')
    expectNoEnglish('in the context sources')
    await type('Почему?')
    await press('Enter')
    await vi.waitFor(() => expect(api.sent.at(-1)!.question).toBe('Почему?'))
    api.broadcast({
      requestId: `request-${api.sent.length}`,
      role: 'ASSISTANT',
      id: 'gid://gitlab/Ai::Message/9',
      content: 'Потому что.',
      extras: {
        contextUsed: [
          { origin: 'RETRIEVER', provider: 'gitlabResourceProvider', contextType: 'ISSUE', id: 'gid://gitlab/Issue/1', title: 'Задача один', turns: null },
          { origin: 'REACTIVE', provider: 'selection', contextType: 'SNIPPET', id: 'sel', title: 'Строки', turns: null },
          { origin: 'HISTORY', provider: 'chatHistoryProvider', contextType: 'chatHistory', id: null, title: 'История', turns: 2 },
        ],
        steps: [
          { name: 'gitlabResourceProvider', title: 'Текущая страница', status: 'ok', reads: ['gid://gitlab/Issue/1'], startedAtMs: 0, durationMs: 40, note: null },
          { name: 'documentationProvider', title: 'Документация', status: 'excluded', reads: [], startedAtMs: 0, durationMs: 0, note: null },
        ],
      },
    })
    await flushPromises()
    const asked = [...document.querySelectorAll('article')].at(-2)!
    expect(asked.textContent).toContain('⟦contextProviderSkipped(Вкладки|error)⟧')
    expect(asked.querySelector('ul[aria-label="⟦contextUsed⟧"]')!.textContent).toContain('⟦historyTurns(2)⟧')
    expectNoEnglish('with the context used and its steps')
    byName('⟦contextSources⟧')!.click()
    await flushPromises()

    // Chat history: a titled and an untitled chat, one being deleted.
    api.threads = [
      { id: 'thread-1', title: 'Беседа', conversationType: 'DUO_CHAT', createdAt: '2026-11-01T10:00:00Z', lastUpdatedAt: '2026-11-01T10:05:00Z' },
      { id: 'thread-2', title: null, conversationType: 'DUO_CHAT', createdAt: '2026-11-02T10:00:00Z', lastUpdatedAt: '2026-11-02T10:05:00Z' },
    ]
    byName('⟦chatHistory⟧')!.click()
    await flushPromises()
    byName('⟦deleteChat(Беседа)⟧')!.click()
    await flushPromises()
    expect(document.querySelector('[role="group"][aria-label="⟦deleteChatQuestion⟧"]')).not.toBeNull()
    expectNoEnglish('in the chat history')

    // The test went through what it meant to.
    const exercised = [
        'drawer', 'title', 'messages', 'you', 'duo', 'thinking', 'steps', 'sources', 'source', 'copy', 'copyCode', 'copyFailed', 'copyBlocked',
        'codeWithoutLanguage', 'hiddenCharacter', 'hiddenCharactersNote', 'linkDestination', 'errorMessage', 'errorCode', 'retry', 'stopped',
        'responding', 'answerReady', 'newConversationStarted', 'attachedContext', 'remove', 'resourceName', 'category', 'contextNotSent', 'contextWillBeSent',
        'queuedPrompts', 'slashCommands', 'commandDescription', 'contextToInclude', 'searching', 'notAvailable', 'promptTooLong', 'prompt',
        'promptPlaceholder', 'emptyTitle', 'emptyDescription', 'predefinedPrompt', 'unreachable', 'jumpToLatest', 'chats', 'untitledChat',
        'deleteChat', 'deleteChatQuestion', 'delete', 'cancel', 'feedbackDetails', 'sendFeedback', 'feedbackThanks', 'notHelpful', 'helpful',
        'resizeDrawer', 'insertCode', 'table', 'chatHistory', 'newChat', 'close',
        'contextSources', 'contextSourcesHint', 'contextSourceOrigin', 'contextSourceMode', 'contextProviderSkipped', 'contextOrigin', 'historyTurns',
        'stepDuration', 'stepReads', 'stepStatus',
    ]
    expect(exercised.filter((key) => !seen.has(key))).toEqual([])
  })
})
