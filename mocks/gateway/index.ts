/**
 * The mock AI gateway engine: an executable GraphQL schema that is a superset of GitLab's Duo
 * Chat API, backed by fixtures, a ReAct agent with a scripted model, per-user history and
 * scripted scenarios. It knows no transport: `mocks/server.ts` (HTTP + graphql-ws) and
 * `mocks/browser.ts` (msw) feed it requests through `schema` and `context()`.
 */
import type { GraphQLSchema } from 'graphql'
import { authenticate, type GatewayContext, type Viewer } from './auth'
import { ChatRequests, type ChatEvent } from './chatRequests'
import { makeExecutableSchema } from './executableSchema'
import { createFixtures } from './fixtures'
import { ChatHistory } from './history'
import { createScriptedModel, type ChatModel } from './model'
import { createPubSub } from './pubsub'
import { createResolvers } from './resolvers'
import { readScenario, ScenarioQueue, type ScenarioInput } from './scenarios'
import { createScheduler } from './scheduler'
import { gatewaySdl } from './schema.graphql'
import { resolveTiming, type GatewayTiming } from './timing'

export type { GatewayContext, Viewer } from './auth'
export type { ChatModel } from './model'
export type { ScenarioInput } from './scenarios'
export type { GatewayTiming } from './timing'
export { DEFAULT_TIMING } from './timing'
export { createScriptedModel } from './model'
export { ERROR_SENTENCES, formatErrorMessage } from './errors'
export { gatewaySdl } from './schema.graphql'

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /** Overrides of the default timing; tests pass zeros. */
  timing?: Partial<GatewayTiming>
  /** The model behind the agent; defaults to the scripted model. */
  model?: ChatModel
}

/** A running mock gateway. */
export interface Gateway {
  /** Executable schema for graphql's `execute()`/`subscribe()` and graphql-ws. */
  schema: GraphQLSchema
  /** The user of an `Authorization` value (`Bearer alice-token` or `alice-token`); null when unknown or absent. */
  authenticate(authorization: string | null | undefined): Viewer | null
  /** The `contextValue` for a request; with a null viewer every operation is refused as UNAUTHENTICATED. */
  context(viewer: Viewer | null): GatewayContext
  /** Queues a scripted answer for the user's next question (see {@link ScenarioInput}); throws on invalid input. */
  scenario(input: ScenarioInput): void
  /** Validates JSON from `POST /__mock/scenario`; throws an Error naming the bad field. */
  parseScenario(body: unknown): ScenarioInput
  /** Restores fixtures and forgets history, scenarios and running requests; open subscriptions stay open. */
  reset(): void
  /** Registers a listener the gateway calls when a user's sockets should drop; returns the unsubscribe function. */
  onConnectionDrop(listener: (userId: string) => void): () => void
  /** Stops every request and timer and ends all subscriptions. */
  dispose(): void
}

/** Creates a mock gateway with fresh fixtures and empty history. */
export function createGateway(options: GatewayOptions = {}): Gateway {
  const timing = resolveTiming(options.timing)
  const fixtures = createFixtures()
  const history = new ChatHistory()
  const pubsub = createPubSub<ChatEvent>()
  const scheduler = createScheduler()
  const scenarios = new ScenarioQueue()
  const dropListeners = new Set<(userId: string) => void>()

  const chat = new ChatRequests({
    fixtures,
    history,
    pubsub,
    scheduler,
    scenarios,
    timing,
    model: options.model ?? createScriptedModel(),
    dropConnection(userId) {
      for (const listener of [...dropListeners]) {
        // A failing transport listener must not break the answer that is still streaming.
        try {
          listener(userId)
        } catch (error) {
          console.error('[mock gateway] an onConnectionDrop listener threw:', error)
        }
      }
    },
  })

  const schema = makeExecutableSchema(gatewaySdl, createResolvers({ history, pubsub, chat }))

  return {
    schema,
    authenticate: (authorization) => authenticate(fixtures, authorization),
    context: (viewer) => ({ viewer }),
    scenario(input) {
      scenarios.enqueue(readScenario(input, fixtures, timing.chunkSize).scenario)
    },
    parseScenario: (body) => readScenario(body, fixtures, timing.chunkSize).input,
    reset() {
      chat.abortAll()
      // In place, because the tools and requests hold this very object.
      Object.assign(fixtures, createFixtures())
      history.clear()
      scenarios.clear()
    },
    onConnectionDrop(listener) {
      dropListeners.add(listener)
      return () => {
        dropListeners.delete(listener)
      }
    },
    dispose() {
      chat.abortAll()
      scheduler.dispose()
      pubsub.close()
      dropListeners.clear()
    },
  }
}
