/**
 * The test kit for host apps: the mock AI gateway in-process, served through msw, so that a host
 * app's own tests (vitest + msw/node) and stories (msw's service worker) run the drawer against the
 * real agent flow with no server. `duo-chat-drawer/mocks` exports this module.
 */
import { parse, subscribe, execute, type ExecutionResult } from 'graphql'
import { createGatewayHandlers, DEFAULT_MOCK_GRAPHQL_URL, type GatewayHandlers } from './browser'
import { createGateway, type Gateway, type GatewayOptions, type GatewayTiming, type PipelineName, type ScenarioInput, type Viewer } from './gateway/index'
import { toViewer } from './gateway/auth'
import { createFixtures, type Fixtures } from './gateway/fixtures'

/** Timing presets: `instant` for tests (no pauses), `realistic` for the demo's pace (300 ms per tool, 40 chunks/s). */
export type MockTimingPreset = 'instant' | 'realistic'

/** A user that signs in to the mock gateway: a fixture user (alice, bob) or one of the host's own. */
export interface MockUser {
  /** A fixture user's username (`alice`, `bob`) or global id, or a new username. */
  username: string
  /** The token that signs in as this user. @default the fixture's token; `<username>-token` for a new user */
  token?: string
  /** A new user's global id. @default `gid://gitlab/User/<1000 + position>` */
  id?: string
  /** A new user's display name. @default the username */
  name?: string
  /** Full paths of the projects a new user is a member of. @default ['acme/shop'] */
  projects?: readonly string[]
}

/** Options of {@link createMockGateway}. */
export interface MockGatewayOptions {
  /**
   * How fast the gateway answers: a preset or overrides of the engine's defaults.
   * @default 'instant'
   */
  timing?: MockTimingPreset | Partial<GatewayTiming>
  /**
   * Users and the tokens they sign in with: fixture users (an entry may give one a further token)
   * and users of the host's own, created as members of the projects they name.
   * @default alice (`alice-token`) and bob (`bob-token`)
   */
  users?: readonly MockUser[]
  /** Changes to the gateway's fixtures (projects, issues, epics, merge requests, docs), kept across `reset()`. */
  fixtures?: (fixtures: Fixtures) => void
  /** The GraphQL endpoint the drawer is configured with. @default 'https://duo-gateway.test/graphql' */
  graphqlUrl?: string
  /** The graphql-transport-ws endpoint. @default graphqlUrl with ws(s):// */
  wsUrl?: string
  /** Further engine options (model, limits, audit, ...). @default none */
  engine?: Omit<GatewayOptions, 'timing'>
}

/** A scripted answer; `user` defaults to the gateway's first user. See the engine's `ScenarioInput`. */
export type MockScenario = Omit<ScenarioInput, 'user'> & { user?: string }

/** What {@link MockGateway.ask} resolves with: the final answer, as `sendDuoChatCommand` gives it. */
export interface MockAnswer {
  requestId: string | null
  threadId: string | null
  content: string
  errors: string[]
}

/** The options for `createDuoChat()` that sign a drawer in to this gateway as one user. */
export interface MockDuoChatOptions {
  graphqlUrl: string
  wsUrl: string
  userId: string
  token: string
}

/** A mock gateway with its msw handlers. */
export interface MockGateway {
  /** The msw handlers: `setupServer(...mock.handlers)` in Node, `setupWorker(...mock.handlers)` in a browser. */
  readonly handlers: GatewayHandlers['handlers']
  readonly graphqlUrl: string
  readonly wsUrl: string
  /** The engine itself, for anything the kit does not wrap. */
  readonly gateway: Gateway
  /** `createDuoChat()` options for a user (username or id). @default the first user */
  duoChatOptions(user?: string): MockDuoChatOptions
  /** Scripts the next answer for a user; scenarios queue per user. Throws on invalid input, naming the field. */
  scenario(input?: MockScenario): void
  /**
   * Lets the user's answers held by a scenario's `holdAfterChunks` stream on, as
   * `POST /__mock/release` does; returns how many were held. @default the first user
   */
  release(user?: string): number
  /**
   * Asks a question as a user, straight through the engine (no drawer, no msw): for history a
   * test starts from. Resolves with the final answer; errors come in `errors`, not as rejections.
   */
  ask(question: string, options?: AskOptions): Promise<MockAnswer>
  /** Stores a conversation of scripted answers in the user's history; resolves with its thread id. */
  seedConversation(turns: readonly ConversationTurn[], options?: { user?: string }): Promise<string | null>
  /** Resolves once a drawer of the user has an open, acknowledged subscription socket. @default expire 5000 ms */
  waitForConnection(user?: string, expire?: number): Promise<void>
  /** Restores fixtures and forgets history and scenarios (`server.resetHandlers()` does not). */
  reset(): void
  /**
   * Chooses the pipeline that answers a user's questions (`react` or `rag`; null: the gateway's
   * default), as `POST /__mock/settings` does; `reset()` forgets it.
   */
  setSettings(input: { user?: string; pipeline: PipelineName | null }): void
  /** Closes open sockets, stops every timer of the engine; the handlers answer no more. */
  dispose(): void
}

/** Options of {@link MockGateway.ask}. */
export interface AskOptions {
  /** Username or id. @default the first user */
  user?: string
  resourceId?: string | null
  /** Continue this conversation. @default a new one */
  threadId?: string | null
  /** Give up after this long. @default 10000 */
  timeoutMs?: number
}

/** One question and its scripted answer, for {@link MockGateway.seedConversation}. */
export interface ConversationTurn {
  question: string
  answer: string
}

const PRESETS: Record<MockTimingPreset, Partial<GatewayTiming>> = {
  instant: { toolMs: 0, chunkDelayMs: 0 },
  realistic: {},
}

const ASK = parse(/* GraphQL */ `
  mutation mockKitAsk($question: String!, $resourceId: AiModelID, $threadId: AiConversationThreadID) {
    aiAction(input: { chat: { content: $question, resourceId: $resourceId }, threadId: $threadId }) {
      requestId
      threadId
      errors
    }
  }
`)

const ANSWERS = parse(/* GraphQL */ `
  subscription mockKitAnswers($userId: UserID) {
    aiCompletionResponse(userId: $userId, aiAction: CHAT) {
      requestId
      role
      content
      errors
      chunkId
      threadId
    }
  }
`)

/** The mock gateways created and not yet disposed, newest last; {@link scenario} scripts the newest. */
const live: MockGateway[] = []

const fail = (message: string): never => {
  throw new Error(`[duo-chat-drawer/mocks]: ${message}`)
}

/**
 * Creates the mock AI gateway (the repository's engine: fixtures, ReAct agent, scripted model,
 * history, scenarios) and the msw handlers that serve it.
 *
 * ```ts
 * const mock = createMockGateway()
 * const server = setupServer(...mock.handlers)
 * app.use(createDuoChat(mock.duoChatOptions('alice')))
 * ```
 */
export function createMockGateway(options: MockGatewayOptions = {}): MockGateway {
  const { timing = 'instant', users, fixtures, graphqlUrl = DEFAULT_MOCK_GRAPHQL_URL, wsUrl, engine } = options
  const resolvedTiming = typeof timing === 'string' ? PRESETS[timing] : timing
  if (resolvedTiming === undefined) fail(`timing must be 'instant', 'realistic' or an object, got ${JSON.stringify(timing)}.`)

  // The built-in users; the engine's fixtures are the source of truth for who exists.
  const fixtureUsers = createFixtures().users
  const findFixtureUser = (ref: string) => fixtureUsers.find((user) => user.username === ref || user.id === ref)
  const entries: readonly MockUser[] = users ?? fixtureUsers.map((user) => ({ username: user.username }))
  const newUsers = entries.flatMap((entry, index) =>
    findFixtureUser(entry.username)
      ? []
      : [
          {
            user: {
              id: entry.id ?? `gid://gitlab/User/${1000 + index}`,
              username: entry.username,
              name: entry.name ?? entry.username,
              token: entry.token ?? `${entry.username}-token`,
            },
            projects: entry.projects ?? ['acme/shop'],
          },
        ],
  )
  const signIns = entries.map((entry) => {
    const user = findFixtureUser(entry.username) ?? newUsers.find(({ user: added }) => added.username === entry.username)!.user
    return { viewer: toViewer(user), token: entry.token ?? user.token }
  })
  const customize = (data: Fixtures): void => {
    for (const { user, projects } of newUsers) {
      data.users.push(user)
      for (const fullPath of projects) {
        const project =
          data.projects.find((candidate) => candidate.fullPath === fullPath) ??
          fail(`user "${user.username}": no project "${fullPath}"; the projects are ${data.projects.map((p) => p.fullPath).join(', ')}.`)
        project.memberIds.push(user.id)
      }
    }
    fixtures?.(data)
  }
  const byToken = new Map(signIns.map((signIn) => [signIn.token, signIn.viewer]))
  const defaultUser = signIns[0]?.viewer ?? fail('`users` must name at least one user.')

  const gateway = createGateway({ ...engine, timing: resolvedTiming, fixtures: customize })
  const authenticate = (authorization: string | null | undefined): Viewer | null => {
    const token = authorization?.trim().replace(/^bearer\s+/i, '').trim()
    return (token && byToken.get(token)) || gateway.authenticate(authorization)
  }
  const transport = createGatewayHandlers(gateway, { graphqlUrl, wsUrl, authenticate })

  const viewerOf = (ref: string | undefined): Viewer => {
    if (ref === undefined) return defaultUser
    const signIn = signIns.find(({ viewer }) => viewer.username === ref || viewer.id === ref)
    return signIn?.viewer ?? fail(`unknown user "${ref}"; the users are ${signIns.map(({ viewer }) => viewer.username).join(', ')}.`)
  }

  async function ask(question: string, askOptions: AskOptions = {}): Promise<MockAnswer> {
    const { user, resourceId = null, threadId = null, timeoutMs = 10_000 } = askOptions
    const viewer = viewerOf(user)
    const contextValue = gateway.context(viewer)
    // Subscribe first: the answer may be published as soon as the mutation returns.
    const stream = await subscribe({ schema: gateway.schema, document: ANSWERS, variableValues: { userId: viewer.id }, contextValue })
    if (!(Symbol.asyncIterator in stream)) return fail(`could not listen for answers: ${JSON.stringify(stream.errors)}`)
    const iterator = stream[Symbol.asyncIterator]()
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const started = (await execute({
        schema: gateway.schema,
        document: ASK,
        variableValues: { question, resourceId, threadId },
        contextValue,
      })) as ExecutionResult<{ aiAction: { requestId: string | null; threadId: string | null; errors: string[] } }>
      if (started.errors?.length) return { requestId: null, threadId, content: '', errors: started.errors.map((error) => error.message) }
      const payload = started.data!.aiAction
      if (!payload.requestId) return { requestId: null, threadId: payload.threadId, content: '', errors: payload.errors }
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`[duo-chat-drawer/mocks]: no answer to "${question}" within ${timeoutMs} ms.`)), timeoutMs)
      })
      for (;;) {
        const next = await Promise.race([iterator.next(), expired])
        if (next.done) return fail(`the answer stream ended before the answer to "${question}".`)
        const message = (next.value as ExecutionResult<{ aiCompletionResponse: AnswerMessage }>).data?.aiCompletionResponse
        if (message && message.requestId === payload.requestId && message.role === 'ASSISTANT' && message.chunkId === null) {
          return { requestId: message.requestId, threadId: message.threadId, content: message.content ?? '', errors: message.errors ?? [] }
        }
      }
    } finally {
      clearTimeout(timer)
      void iterator.return?.()
    }
  }

  const mock: MockGateway = {
    handlers: transport.handlers,
    graphqlUrl: transport.graphqlUrl,
    wsUrl: transport.wsUrl,
    gateway,
    duoChatOptions(user) {
      const viewer = viewerOf(user)
      const token = signIns.find((signIn) => signIn.viewer.id === viewer.id)!.token
      return { graphqlUrl: transport.graphqlUrl, wsUrl: transport.wsUrl, userId: viewer.id, token }
    },
    scenario(input = {}) {
      gateway.scenario({ ...input, user: viewerOf(input.user).id })
    },
    release: (user) => gateway.release(viewerOf(user).id),
    ask,
    async seedConversation(turns, { user } = {}) {
      let threadId: string | null = null
      for (const { question, answer } of turns) {
        // One chunk, no pause: history is the point, not the stream.
        mock.scenario({ user, text: answer, delayMs: 0, chunkSize: Math.max(1, answer.length) })
        const result = await ask(question, { user, threadId })
        if (result.errors.length) fail(`seeding "${question}" failed: ${result.errors.join('; ')}`)
        threadId = result.threadId
      }
      return threadId
    },
    async waitForConnection(user, expire = 5_000) {
      const viewer = viewerOf(user)
      const deadline = Date.now() + expire
      while (!transport.openSockets().get(viewer.id)) {
        if (Date.now() > deadline) fail(`no drawer of ${viewer.username} connected within ${expire} ms.`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    reset: () => gateway.reset(),
    setSettings(input) {
      gateway.settings({ user: viewerOf(input.user).id, pipeline: input.pipeline })
    },
    dispose() {
      const index = live.indexOf(mock)
      if (index >= 0) live.splice(index, 1)
      transport.dispose()
      gateway.dispose()
    },
  }
  live.push(mock)
  return mock
}

interface AnswerMessage {
  requestId: string | null
  role: 'ASSISTANT' | 'SYSTEM' | 'USER'
  content: string | null
  errors: string[] | null
  chunkId: number | null
  threadId: string | null
}

/**
 * Scripts the next answer on the most recently created mock gateway that is not disposed, e.g.
 * `scenario({ errorCode: 'A1001' })`. With several gateways alive, call `mock.scenario()` instead.
 */
export function scenario(input: MockScenario = {}): void {
  const mock = live.at(-1) ?? fail('scenario() needs a mock gateway: call createMockGateway() first.')
  mock.scenario(input)
}

/**
 * Chooses a user's pipeline on the most recently created mock gateway that is not disposed, e.g.
 * `setSettings({ user: 'alice', pipeline: 'rag' })`.
 */
export function setSettings(input: { user?: string; pipeline: PipelineName | null }): void {
  const mock = live.at(-1) ?? fail('setSettings() needs a mock gateway: call createMockGateway() first.')
  mock.setSettings(input)
}
