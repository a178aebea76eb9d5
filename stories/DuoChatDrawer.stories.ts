import type { Meta, StoryObj } from '@storybook/vue3-vite'
import { h } from 'vue'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { LONG_MARKDOWN_ANSWER, WIDE_TABLE_ANSWER } from './support/answers'
import { defaultStoryArgs, DrawerStory, type DrawerStoryArgs } from './support/DrawerStory'
import { HEARD, spokenTexts } from './support/speechFakes'

/**
 * Every state of the drawer a reviewer must see, each against the mock AI gateway running in the
 * browser (msw). The controls change the gateway's timing and script the first answer; any change
 * starts the story over with a fresh gateway. The play functions are the stories' tests: they run
 * here (Interactions panel) and in vitest (`stories/stories.test.ts`).
 */
const meta = {
  title: 'DuoChatDrawer',
  // A render function, not a template: vitest runs the stories with Vue's runtime-only build.
  render: (args) => ({ setup: () => () => h(DrawerStory, { args }) }),
  args: defaultStoryArgs,
  argTypes: {
    open: { control: 'boolean', table: { category: 'Host page' } },
    user: { control: 'inline-radio', options: ['alice', 'bob'], table: { category: 'Host page' } },
    resourceId: {
      control: 'select',
      options: ['gid://gitlab/Issue/1', 'gid://gitlab/Epic/1', 'gid://gitlab/MergeRequest/1', 'gid://gitlab/Issue/50', 'gid://gitlab/Issue/99'],
      table: { category: 'Host page' },
    },
    theme: { control: 'inline-radio', options: ['auto', 'light', 'dark'], table: { category: 'Host page' } },
    dir: { control: 'inline-radio', options: ['', 'ltr', 'rtl', 'auto'], table: { category: 'Host page' } },
    resourceTitle: { control: 'text', table: { category: 'Host page' } },
    contexts: { control: 'object', table: { category: 'Host page' } },
    questions: { control: 'object', table: { category: 'Host page' } },
    extraThreads: { control: { type: 'number', min: 0, max: 8 }, table: { category: 'Host page' } },
    requestTimeoutMs: { control: { type: 'number', min: 500, step: 500 }, table: { category: 'Host page' } },
    historyTurns: { control: { type: 'number', min: 0, max: 200 }, table: { category: 'Host page' } },
    toolMs: { control: { type: 'number', min: 0, step: 100 }, table: { category: 'Gateway timing' } },
    chunkDelayMs: { control: { type: 'range', min: 0, max: 500, step: 5 }, table: { category: 'Gateway timing' } },
    chunkSize: { control: { type: 'range', min: 1, max: 200 }, table: { category: 'Gateway timing' } },
    scripted: { control: 'boolean', table: { category: 'Scenario (first answer)' } },
    scenarioText: { control: 'text', if: { arg: 'scripted' }, table: { category: 'Scenario (first answer)' } },
    scenarioErrorCode: {
      control: 'select',
      options: ['', 'A1000', 'A1001', 'A1006', 'M3002', 'M3003', 'M4000', 'A6000'],
      if: { arg: 'scripted' },
      table: { category: 'Scenario (first answer)' },
    },
    scenarioOrder: { control: 'inline-radio', options: ['in-order', 'shuffled', 'duplicated'], if: { arg: 'scripted' }, table: { category: 'Scenario (first answer)' } },
    scenarioDelayMs: { control: { type: 'range', min: 0, max: 2000, step: 5 }, if: { arg: 'scripted' }, table: { category: 'Scenario (first answer)' } },
    scenarioChunkSize: { control: { type: 'range', min: 1, max: 500 }, if: { arg: 'scripted' }, table: { category: 'Scenario (first answer)' } },
    dropConnectionAfterChunk: { control: { type: 'number', min: 0 }, if: { arg: 'scripted' }, table: { category: 'Scenario (first answer)' } },
    insertCode: { control: 'boolean', table: { category: 'Host page' } },
    voice: { control: 'inline-radio', options: ['browser', 'recognition', 'recording'], table: { category: 'Speech' } },
    transcriptionMs: { control: { type: 'number', min: 0, step: 500 }, table: { category: 'Speech' } },
    readAloud: { control: 'inline-radio', options: ['browser', 'silent'], table: { category: 'Speech' } },
  },
  parameters: { layout: 'fullscreen' },
} satisfies Meta<DrawerStoryArgs>

export default meta
type Story = StoryObj<typeof meta>

/** How long a play function waits for the gateway; generous for a loaded CI machine. */
const WAIT = { timeout: 8_000 }

const drawer = (canvasElement: HTMLElement) => within(canvasElement).findByRole('complementary', { name: 'Duo Chat' }, WAIT)
const lastAnswer = (canvasElement: HTMLElement) => within(canvasElement).getAllByRole('article', { name: /^GitLab Duo/ }).at(-1)!

/** The page before anyone opened the drawer: only the host's button. */
export const Closed: Story = {
  args: { open: false },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('button', { name: 'Ask GitLab Duo' }, WAIT)
    expect(canvas.queryByRole('complementary', { name: 'Duo Chat' })).toBeNull()
  },
}

/** Interaction: the host's button opens the drawer, the prompt takes the focus; Escape closes it and focus returns. */
export const OpenAndClose: Story = {
  args: { open: false },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const opener = await canvas.findByRole('button', { name: 'Ask GitLab Duo' }, WAIT)
    await userEvent.click(opener)
    const aside = await drawer(canvasElement)
    await waitFor(() => expect(within(aside).getByRole('textbox', { name: 'Chat prompt' })).toHaveFocus(), WAIT)
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(canvas.queryByRole('complementary', { name: 'Duo Chat' })).toBeNull(), WAIT)
    expect(opener).toHaveFocus()
  },
}

/** Open with no conversation yet: the empty state and a disabled Send. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    await within(aside).findByText('Ask GitLab Duo', {}, WAIT)
    expect(within(aside).getByRole('button', { name: 'Send' })).toBeDisabled()
  },
}

/** The agent is running a tool: the step shows in the pending answer, Send has become Stop. The tool takes 10 minutes. */
export const LoadingWithToolStep: Story = {
  args: { questions: ['What is issue #1 about?'], toolMs: 600_000 },
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    await within(aside).findByText('Issue Reader', {}, WAIT)
    expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'pending')
    expect(within(aside).getByRole('button', { name: 'Stop' })).toBeInTheDocument()
  },
}

/** An answer streaming in, slowly enough to watch (about 30 seconds). */
export const Streaming: Story = {
  args: {
    questions: ['Why does the checkout button do nothing on Safari?'],
    scripted: true,
    scenarioText: LONG_MARKDOWN_ANSWER,
    scenarioChunkSize: 12,
    scenarioDelayMs: 150,
  },
  play: async ({ canvasElement }) => {
    await drawer(canvasElement)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'streaming'), WAIT)
    await waitFor(() => expect(lastAnswer(canvasElement).textContent).toContain('Safari'), WAIT)
    expect(within(canvasElement).getByRole('button', { name: 'Stop' })).toBeInTheDocument()
  },
}

/** A finished answer with headings, lists, code blocks, a table and links. */
export const LongMarkdownAnswer: Story = {
  args: {
    questions: ['Why does the checkout button do nothing on Safari?'],
    scripted: true,
    scenarioText: LONG_MARKDOWN_ANSWER,
    scenarioChunkSize: 200,
    scenarioDelayMs: 10,
  },
  play: async ({ canvasElement }) => {
    await drawer(canvasElement)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    const answer = lastAnswer(canvasElement)
    expect(within(answer).getByRole('table')).toBeInTheDocument()
    expect(answer.querySelectorAll('pre code').length).toBeGreaterThanOrEqual(2)
    expect(within(answer).getByRole('link', { name: 'the merge request' })).toBeInTheDocument()
  },
}

/** The whole agent flow, finished: the answer grounded in the issue, its tool steps under "Steps". */
export const AnswerWithSteps: Story = {
  args: { questions: ['What is issue #1 about?'], toolMs: 150, chunkDelayMs: 5, chunkSize: 24 },
  play: async ({ canvasElement }) => {
    await drawer(canvasElement)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    const answer = lastAnswer(canvasElement)
    expect(answer.textContent).toContain('Checkout button unresponsive on Safari')
    expect(within(answer).getByText('Steps')).toBeInTheDocument()
    // The question shows once, as the user wrote it, and nothing of the answer's parts.
    const question = within(canvasElement).getByRole('article', { name: /^You/ })
    expect(question.textContent?.split('What is issue #1 about?')).toHaveLength(2)
    expect(question).not.toHaveTextContent('GitLab Duo is thinking')
    expect(within(answer).getByText('Issue Reader')).toBeInTheDocument()
  },
}

/** A failed answer: GitLab's error code, a sentence that says what to do, and Retry. */
export const ErrorWithRetry: Story = {
  args: { questions: ['What is issue #1 about?'], scripted: true, scenarioErrorCode: 'A1001', toolMs: 50, chunkDelayMs: 5, chunkSize: 24 },
  play: async ({ canvasElement }) => {
    const alert = await within(await drawer(canvasElement)).findByRole('alert', {}, WAIT)
    expect(alert).toHaveTextContent('Error code: A1001')
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeEnabled()
  },
}

/** Interaction: Retry after the scripted error asks again, and the agent answers. */
export const RetryAfterError: Story = {
  args: ErrorWithRetry.args,
  play: async ({ canvasElement }) => {
    const alert = await within(await drawer(canvasElement)).findByRole('alert', {}, WAIT)
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    expect(lastAnswer(canvasElement).textContent).toContain('Checkout button unresponsive on Safari')
  },
}

/** The agent refuses a resource the user cannot see (bob's private issue): M3003, and nothing of it leaks. */
export const NoAccess: Story = {
  args: { resourceId: 'gid://gitlab/Issue/99', questions: ['What is this issue about?'], toolMs: 50 },
  play: async ({ canvasElement }) => {
    const alert = await within(await drawer(canvasElement)).findByRole('alert', {}, WAIT)
    expect(alert).toHaveTextContent('Error code: M3003')
    expect(canvasElement.textContent).not.toContain('Secret roadmap')
  },
}


/** Host commands wait their turn under "Queued prompts" while the first one runs (its tool takes 10 minutes). */
export const QueuedPrompts: Story = {
  args: { questions: ['/explain', 'Summarize the discussion', 'What should I do next?'], toolMs: 600_000 },
  play: async ({ canvasElement }) => {
    const queue = await within(await drawer(canvasElement)).findByRole('list', { name: 'Queued prompts' }, WAIT)
    expect(within(queue).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      expect.stringContaining('Summarize the discussion'),
      expect.stringContaining('What should I do next?'),
    ])
  },
}

/** Interaction: removing a queued prompt takes it off the list; the running one goes on. */
export const RemoveQueuedPrompt: Story = {
  args: QueuedPrompts.args,
  play: async ({ canvasElement }) => {
    const queue = await within(await drawer(canvasElement)).findByRole('list', { name: 'Queued prompts' }, WAIT)
    await userEvent.click(within(queue).getByRole('button', { name: 'Remove Summarize the discussion' }))
    await waitFor(() => expect(within(queue).getAllByRole('listitem')).toHaveLength(1))
    expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'pending')
  },
}

/** A conversation of 40 questions and answers, loaded from the gateway's history when the drawer opens. */
export const LongHistory: Story = {
  args: { historyTurns: 40 },
  play: async ({ canvasElement }) => {
    const log = await within(await drawer(canvasElement)).findByRole('log', { name: 'Chat messages' }, WAIT)
    await waitFor(() => expect(within(log).getAllByRole('article')).toHaveLength(80), WAIT)
  },
}

/**
 * The connection drops after chunk 3: the drawer reconnects, and when the answer shows no sign of
 * life for `requestTimeoutMs` (2 s here) it finds it complete in the gateway's history.
 */
export const ConnectionDropped: Story = {
  args: {
    questions: ['Why does the checkout button do nothing on Safari?'],
    scripted: true,
    scenarioText: 'The promo overlay covers the **Pay now** button on Safari; give it `pointer-events: none`.',
    scenarioChunkSize: 8,
    scenarioDelayMs: 40,
    dropConnectionAfterChunk: 3,
    requestTimeoutMs: 2_000,
  },
  play: async ({ canvasElement }) => {
    await drawer(canvasElement)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    expect(lastAnswer(canvasElement).textContent).toContain('pointer-events: none')
  },
}

/** A phone-sized screen: the drawer takes the whole width. */
export const NarrowWidth: Story = {
  args: { historyTurns: 2, questions: ['What is issue #1 about?'], toolMs: 50, chunkDelayMs: 5, chunkSize: 24 },
  globals: { viewport: { value: 'mobile1', isRotated: false } },
  play: async ({ canvasElement }) => {
    await drawer(canvasElement)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
  },
}

/** Context attached by the host: usable chips, and one the gateway refuses (its project has AI turned off). */
export const ContextChips: Story = {
  args: {
    resourceTitle: 'Checkout button unresponsive on Safari',
    contexts: [
      { id: 'gid://gitlab/MergeRequest/1', category: 'MERGE_REQUEST', title: 'Fix Safari checkout click handler' },
      { id: 'gid://gitlab/Issue/50', category: 'ISSUE', title: 'Legacy checkout crash' },
      { id: 'checkout/pay.ts', category: 'FILE', title: 'checkout/pay.ts', content: 'export function pay() {}' },
    ],
  },
  play: async ({ canvasElement }) => {
    const chips = await within(await drawer(canvasElement)).findByRole('list', { name: 'Attached context' }, WAIT)
    expect(within(chips).getAllByRole('listitem')).toHaveLength(4)
    expect(within(chips).getByRole('button', { name: 'Remove Fix Safari checkout click handler' })).toBeInTheDocument()
  },
}

/** A 48×32 PNG with a tEXt Description ("A bar chart"), as "Attach image" makes it. */
const BAR_CHART_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAIAAADbtmxLAAAAF3RFWHREZXNjcmlwdGlvbgBBIGJhciBjaGFydOORZbwAAAA8SURBVHic7c4xAQAgEAAhLWIc+wcwjBFYfzgSsM99a5JdCApJISkkhaSQFJJCUkgKSSEpJIWkkBSScaEPv1ooISyjMH4AAAAASUVORK5CYII='

/** An image chip with its thumbnail, sent with a question: the mock model states what it sees (docs/guide/multimodal.md). */
export const ImageQuestion: Story = {
  args: {
    contexts: [{ id: 'image:bar-chart', category: 'IMAGE', title: 'bar-chart.png', content: BAR_CHART_PNG, metadata: { mimeType: 'image/png', width: 48, height: 32 } }],
    chunkDelayMs: 5,
    chunkSize: 24,
  },
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    const chips = await within(aside).findByRole('list', { name: 'Attached context' }, WAIT)
    expect(within(chips).getByRole('img', { name: /bar-chart\.png/ })).toBeInTheDocument()
    // Typed beside the chip, the question takes it along.
    await userEvent.type(within(aside).getByRole('textbox', { name: 'Chat prompt' }), 'What is in this image?{Enter}')
    await waitFor(() => expect(lastAnswer(canvasElement)).toBeDefined(), WAIT)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    expect(lastAnswer(canvasElement).textContent).toContain('48×32')
    expect(lastAnswer(canvasElement).textContent).toContain('A bar chart')
    const question = within(canvasElement).getByRole('article', { name: /^You/ })
    expect(within(question).getByRole('img', { name: /bar-chart\.png/ })).toBeInTheDocument()
  },
}

/** An image chip beside the prompt, waiting for a question: its thumbnail named by the file, and its Remove button. */
export const ImageChip: Story = {
  args: { contexts: ImageQuestion.args!.contexts! },
  play: async ({ canvasElement }) => {
    const chips = await within(await drawer(canvasElement)).findByRole('list', { name: 'Attached context' }, WAIT)
    const thumbnail = within(chips).getByRole('img', { name: /bar-chart\.png/ })
    expect(thumbnail.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    expect(within(chips).getByRole('button', { name: 'Remove bar-chart.png' })).toBeInTheDocument()
  },
}

/** Voice input listening (the browser's speech recognition, scripted): the toggle pressed, "Listening…" announced, what is heard so far in the box. */
export const VoiceListening: Story = {
  args: { voice: 'recognition' },
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    const voice = await within(aside).findByRole('button', { name: 'Voice input' }, WAIT)
    expect(voice).toHaveAttribute('aria-pressed', 'false')
    await userEvent.click(voice)
    expect(voice).toHaveAttribute('aria-pressed', 'true')
    await waitFor(() => expect(within(aside).getByRole('status')).toHaveTextContent('Listening…'), WAIT)
    await waitFor(() => expect(within(aside).getByRole('textbox', { name: 'Chat prompt' })).toHaveValue(HEARD.slice(0, -1)), WAIT)
  },
}

/** Voice input transcribing: a recording sent to the gateway's speech-to-text, which takes 10 minutes here; the toggle waits, disabled. */
export const VoiceTranscribing: Story = {
  args: { voice: 'recording', transcriptionMs: 600_000 },
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    const voice = await within(aside).findByRole('button', { name: 'Voice input' }, WAIT)
    await userEvent.click(voice)
    await waitFor(() => expect(voice).toHaveAttribute('aria-pressed', 'true'), WAIT)
    await userEvent.click(voice)
    await waitFor(() => expect(within(aside).getByRole('status')).toHaveTextContent('Transcribing…'), WAIT)
    expect(voice).toBeDisabled()
    expect(voice).toHaveAttribute('aria-pressed', 'false')
  },
}

/** Interaction: a recording transcribed by the gateway lands in the box after the typed text, and nothing is sent. */
export const VoiceTranscribed: Story = {
  args: { voice: 'recording', transcriptionMs: 50 },
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    const prompt = await within(aside).findByRole('textbox', { name: 'Chat prompt' }, WAIT)
    await userEvent.type(prompt, 'Quick one:')
    const voice = within(aside).getByRole('button', { name: 'Voice input' })
    await userEvent.click(voice)
    await waitFor(() => expect(voice).toHaveAttribute('aria-pressed', 'true'), WAIT)
    await userEvent.click(voice)
    await waitFor(() => expect(prompt).toHaveValue(`Quick one: ${HEARD}`), WAIT)
    expect(voice).toHaveAttribute('aria-pressed', 'false')
    expect(within(aside).queryAllByRole('article')).toHaveLength(0)
  },
}

/** Read aloud speaking an answer (a silent speech engine that speaks until stopped): the button has become "Stop reading". */
export const ReadingAloud: Story = {
  args: {
    questions: ['How do I remove the promo overlay?'],
    scripted: true,
    scenarioText: 'Remove the **overlay**:\n\n```js\ndocument.querySelector(".promo")?.remove()\n```\n\nThen reload the page.',
    scenarioChunkSize: 200,
    scenarioDelayMs: 10,
    readAloud: 'silent',
  },
  play: async ({ canvasElement }) => {
    await drawer(canvasElement)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    await userEvent.click(within(lastAnswer(canvasElement)).getByRole('button', { name: 'Read aloud' }))
    const stop = await within(lastAnswer(canvasElement)).findByRole('button', { name: 'Stop reading' }, WAIT)
    expect(stop).toHaveFocus()
    expect(spokenTexts).toEqual(['Remove the overlay:\nCode block skipped.\nThen reload the page.'])
  },
}

/** Many chips: the first few show, the rest fold into "+N more". */
export const ManyContextChips: Story = {
  args: {
    contexts: Array.from({ length: 14 }, (_, index) => ({
      id: `src/checkout/step${index + 1}.ts`,
      category: 'FILE' as const,
      title: `src/checkout/step${index + 1}.ts`,
      content: `// step ${index + 1}`,
    })),
  },
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    const chips = await within(aside).findByRole('list', { name: 'Attached context' }, WAIT)
    expect(within(chips).getAllByRole('listitem').length).toBeLessThan(15)
    expect(within(aside).getByRole('button', { name: /^\+\d+ more$/ })).toBeInTheDocument()
  },
}

/** An answer from the documentation tool, with its sources listed under it. */
export const SourcesAndSteps: Story = {
  args: { resourceId: 'gid://gitlab/Issue/1', questions: ['How do I create an issue?'], toolMs: 100, chunkDelayMs: 5, chunkSize: 24 },
  play: async ({ canvasElement }) => {
    await drawer(canvasElement)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    const sources = within(lastAnswer(canvasElement)).getByRole('list', { name: 'Sources' })
    expect(within(sources).getAllByRole('link').length).toBeGreaterThan(0)
    expect(within(lastAnswer(canvasElement)).getByText('Steps')).toBeInTheDocument()
  },
}

/** Interaction: typing "/" in the prompt opens the slash-command menu. */
export const SlashCommandMenu: Story = {
  play: async ({ canvasElement }) => {
    const prompt = await within(await drawer(canvasElement)).findByRole('textbox', { name: 'Chat prompt' }, WAIT)
    await userEvent.type(prompt, '/')
    const menu = await within(canvasElement).findByRole('listbox', {}, WAIT)
    expect(within(menu).getAllByRole('option').map((option) => option.textContent)).toEqual(
      expect.arrayContaining([expect.stringContaining('/explain'), expect.stringContaining('/new')]),
    )
  },
}

/** Interaction: "Chat history" lists the user's earlier conversations. */
export const ThreadList: Story = {
  args: { extraThreads: 4 },
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    await userEvent.click(within(aside).getByRole('button', { name: 'Chat history' }))
    const chats = await within(aside).findByRole('list', { name: 'Chats' }, WAIT)
    expect(within(chats).getAllByRole('listitem')).toHaveLength(4)
  },
}

/** The dark theme (the `theme` prop; `auto` follows `prefers-color-scheme`), with markdown, code and a table. */
export const DarkTheme: Story = {
  args: {
    theme: 'dark',
    questions: ['Why does the checkout button do nothing on Safari?'],
    scripted: true,
    scenarioText: LONG_MARKDOWN_ANSWER,
    scenarioChunkSize: 200,
    scenarioDelayMs: 10,
  },
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    expect(aside).toHaveAttribute('data-theme', 'dark')
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    expect(within(lastAnswer(canvasElement)).getByRole('table')).toBeInTheDocument()
  },
}

/** Right to left: a Hebrew page, its question and answer; the drawer sits on the left and mirrors its layout. */
export const RightToLeft: Story = {
  args: {
    dir: 'rtl',
    resourceTitle: 'כפתור התשלום לא מגיב בספארי',
    questions: ['למה כפתור התשלום לא עובד בספארי?'],
    scripted: true,
    scenarioText: [
      '## הסיבה',
      '',
      'שכבת המבצע מכסה את הכפתור **Pay now** בספארי.',
      '',
      '- הסירו את השכבה בסוף המבצע',
      '- בדקו שוב את התשלום',
      '',
      '```js',
      "document.querySelector('.promo-overlay')?.remove()",
      '```',
    ].join('\n'),
    scenarioChunkSize: 200,
    scenarioDelayMs: 10,
  },
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    expect(aside).toHaveAttribute('dir', 'rtl')
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    expect(lastAnswer(canvasElement)).toHaveTextContent('שכבת המבצע מכסה את הכפתור')
    expect(within(within(aside).getByRole('list', { name: 'Attached context' })).getByRole('listitem', { name: 'כפתור התשלום לא מגיב בספארי' })).toBeInTheDocument()
  },
}

/** A table wider than the drawer scrolls in its own region; the host takes code with "Insert code". */
export const WideTableAndInsertCode: Story = {
  args: {
    questions: ['Which browsers does checkout work in?'],
    scripted: true,
    scenarioText: WIDE_TABLE_ANSWER,
    scenarioChunkSize: 200,
    scenarioDelayMs: 10,
    insertCode: true,
  },
  play: async ({ canvasElement }) => {
    await drawer(canvasElement)
    await waitFor(() => expect(lastAnswer(canvasElement)).toHaveAttribute('data-status', 'complete'), WAIT)
    const answer = lastAnswer(canvasElement)
    const region = within(answer).getByRole('region', { name: 'Table' })
    expect(region).toHaveAttribute('tabindex', '0')
    expect(within(region).getByRole('table')).toBeInTheDocument()
    await userEvent.click(within(answer).getByRole('button', { name: 'Insert code' }))
    const inserted = await within(canvasElement).findByLabelText('Inserted js', {}, WAIT)
    expect(inserted.textContent).toContain("document.querySelectorAll('.promo-overlay")
  },
}

/** The drawer's inner edge: a separator that resizes it with the keyboard (and a pointer). */
export const Resizable: Story = {
  play: async ({ canvasElement }) => {
    const aside = await drawer(canvasElement)
    const edge = within(aside).getByRole('separator', { name: 'Resize Duo Chat' })
    expect(edge).toHaveAttribute('aria-valuenow', '400')
    edge.focus()
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}')
    expect(edge).toHaveAttribute('aria-valuenow', '432')
    await userEvent.keyboard('{Home}')
    expect(edge).toHaveAttribute('aria-valuemin', '320')
    expect(edge).toHaveAttribute('aria-valuenow', '320')
  },
}
