/**
 * The mock AI gateway engine: an executable GraphQL schema that is a superset of GitLab's Duo
 * Chat API, backed by fixtures, a ReAct agent with a scripted model, per-user history and
 * scripted scenarios. It knows no transport: `mocks/server.ts` (HTTP + graphql-ws) and
 * `mocks/browser.ts` (msw) feed it requests through `schema` and `context()`.
 */
import type { GraphQLSchema, ValidationRule } from 'graphql'
import { safeLogger, type AuditLogger, type AuditRecord } from './audit'
import { authenticate, findUser, type GatewayContext, type Viewer } from './auth'
import { ChatRequests, type ChatEvent } from './chatRequests'
import { makeExecutableSchema } from './executableSchema'
import { createFixtures, type Fixtures } from './fixtures'
import { ChatHistory } from './history'
import { RateLimiter, resolveLimits, type GatewayLimitsInput } from './limits'
import type { ChatModel } from './model'
import {
  asProvider,
  createProviderChain,
  createScriptedProvider,
  type BreakerOptions,
  type ModelProvider,
  type ProviderStatus,
} from './providers'
import type { GatewayObserver } from './observer'
import { createPubSub } from './pubsub'
import { queryLimitRules } from './queryCost'
import { createResolvers } from './resolvers'
import type { Transcriber } from './transcription'
import { restrictIdScalars } from './scalars'
import { readScenario, ScenarioQueue, type ScenarioInput } from './scenarios'
import { StreamHolds } from './streamHolds'
import { createScheduler } from './scheduler'
import { gatewaySdl } from './schema.graphql'
import { resolveTiming, type GatewayTiming } from './timing'
import { GatewaySettings, isPipeline, PIPELINES, readSettings, type SettingsInput } from './pipeline/settings'
import type { PipelineName } from './pipeline/transparency'

export type { GatewayContext, Viewer } from './auth'
export type { ChatModel, ModelCallObserver } from './model'
export type {
  DocPageFixture,
  EpicFixture,
  Fixtures,
  GroupFixture,
  IssueFixture,
  MergeRequestFixture,
  NoteFixture,
  ProjectFixture,
  UserFixture,
} from './fixtures'
export type { ScenarioInput } from './scenarios'
export type { SettingsInput } from './pipeline/settings'
export type { PipelineName } from './pipeline/transparency'
export { PIPELINES } from './pipeline/settings'
export type { GatewayTiming } from './timing'
export type { GatewayLimits, GatewayLimitsInput } from './limits'
export type { QueryLimits } from './queryCost'
export type { AuditLogger, AuditRecord, AiActionAuditRecord } from './audit'
export type {
  GatewayObserver,
  ObservedModelCall,
  ObservedOperation,
  RequestEnd,
  RequestObserver,
  RequestStart,
} from './observer'
export { combineObservers, readTraceparent } from './observer'
export type { BreakerOptions, BreakerState, ModelProvider, ProviderStatus, FlakyOptions } from './providers'
export type { OpenAiProviderOptions } from './openaiProvider'
export { DEFAULT_TIMING } from './timing'
export { DEFAULT_LIMITS } from './limits'
export { DEFAULT_QUERY_LIMITS, queryLimitRules } from './queryCost'
export { createScriptedModel } from './model'
export { ERROR_SENTENCES, formatErrorMessage } from './errors'
export { gatewaySdl } from './schema.graphql'
export { createJsonLineLogger } from './audit'
export {
  CircuitBreaker,
  createFlakyProvider,
  createProviderChain,
  createScriptedProvider,
  DEFAULT_BREAKER,
  ProviderError,
} from './providers'
export { createOpenAiProvider, openAiOptionsFromEnv } from './openaiProvider'
export { createOpenAiTranscriber, openAiTranscriptionOptionsFromEnv, DEFAULT_TRANSCRIPTION_MODEL } from './transcriptionOpenAi'
export type { OpenAiTranscriberOptions } from './transcriptionOpenAi'
export type { Transcriber } from './transcription'

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /**
   * Changes the fixtures (users, projects, issues, merge requests, docs), at creation and after
   * every `reset()`: a host's tests bring data and users of their own.
   */
  fixtures?: (fixtures: Fixtures) => void
  /** Overrides of the default timing; tests pass zeros. */
  timing?: Partial<GatewayTiming>
  /** The model behind the agent; shorthand for `providers: [model]`. Defaults to the scripted model. */
  model?: ChatModel
  /**
   * Model providers in order of preference: each model call goes to the first whose circuit is
   * closed and falls back to the next on failure. Defaults to the scripted model alone.
   */
  providers?: readonly ModelProvider[]
  /** Circuit breaker of every provider; `false` turns it off. @default DEFAULT_BREAKER */
  breaker?: Partial<BreakerOptions> | false
  /** Input limits and the per-user rate; see {@link GatewayLimits}. @default DEFAULT_LIMITS */
  limits?: GatewayLimitsInput
  /** Receives the audit trail: one record per chat request, breaker changes, refusals. @default none */
  audit?: AuditLogger
  /** Milliseconds clock for the breaker, the rate limit and durations; tests pass a fake. @default Date.now */
  now?: () => number
  /**
   * Hears each chat request's life (steps, tools, model calls, first chunk, outcome) and circuit
   * changes: metrics and traces hang on it (`mocks/observability/`). @default none
   */
  observer?: GatewayObserver
  /**
   * How questions are answered: `react` (GitLab's ReAct agent) or `rag` (the deterministic Duo
   * Chat V2 pipeline); a user's `settings()` win over it. @default 'react'
   */
  pipeline?: PipelineName
  /**
   * Speech-to-text for `duoChatTranscribe` recordings that are not fixture clips, e.g.
   * `createOpenAiTranscriber(...)`. @default none: they get A6001 "could not transcribe"
   */
  transcriber?: Transcriber | null
}

/** A running mock gateway. */
export interface Gateway {
  /** Executable schema for graphql's `execute()`/`subscribe()` and graphql-ws. */
  schema: GraphQLSchema
  /**
   * Validation rules a transport adds to graphql's own (`[...specifiedRules, ...validationRules]`):
   * they refuse documents too deep, with too many aliases or fields, or over the cost budget
   * (`limits.query`; codes M4010–M4013 in `queryCost.ts`).
   */
  validationRules: readonly ValidationRule[]
  /** The user of an `Authorization` value (`Bearer alice-token` or `alice-token`); null when unknown or absent. */
  authenticate(authorization: string | null | undefined): Viewer | null
  /**
   * The `contextValue` for one operation (make a new one per request: it counts what the request
   * reads); with a null viewer every operation is refused as UNAUTHENTICATED.
   */
  context(viewer: Viewer | null, request?: { traceparent?: string | null }): GatewayContext
  /** Queues a scripted answer for the user's next question (see {@link ScenarioInput}); throws on invalid input. */
  scenario(input: ScenarioInput): void
  /** Validates JSON from `POST /__mock/scenario`; throws an Error naming the bad field. */
  parseScenario(body: unknown): ScenarioInput
  /**
   * Lets the user's streams held by a scenario's `holdAfterChunks` go on (`POST /__mock/release`);
   * returns how many were held. With none held yet, the user's next hold is passed instead. `user` is a username or a user global id; throws when unknown.
   */
  release(user: string): number
  /** Sets a user's pipeline (`POST /__mock/settings`); throws on invalid input. */
  settings(input: SettingsInput): void
  /** Validates JSON from `POST /__mock/settings`; throws an Error naming the bad field. */
  parseSettings(body: unknown): SettingsInput
  /** Restores fixtures and forgets history, scenarios, settings, running requests, rate limits and open circuits; open subscriptions stay open. */
  reset(): void
  /** Registers a listener the gateway calls when a user's sockets should drop; returns the unsubscribe function. */
  onConnectionDrop(listener: (userId: string) => void): () => void
  /** How many of a user's questions are still being answered (the `maxRunningRequests` limit counts these). */
  runningRequests(userId: string): number
  /** Each model provider with its circuit state, in order of preference. */
  providerStatus(): ProviderStatus[]
  /** Writes a record to the audit trail (the transport reports refused tokens with it). */
  audit(record: AuditRecord): void
  /** Stops every request and timer and ends all subscriptions. */
  dispose(): void
}

/** Creates a mock gateway with fresh fixtures and empty history. */
export function createGateway(options: GatewayOptions = {}): Gateway {
  const timing = resolveTiming(options.timing)
  const limits = resolveLimits(options.limits)
  const now = options.now ?? Date.now
  const audit = safeLogger(options.audit)
  if (options.model && options.providers) throw new TypeError('Pass either `model` or `providers` to createGateway, not both.')
  const providers = options.providers ?? [options.model ? asProvider(options.model, 'model') : createScriptedProvider()]
  const model = createProviderChain(providers, {
    breaker: options.breaker,
    now,
    onBreakerChange: (provider, state) => {
      audit({ time: new Date().toISOString(), level: state === 'open' ? 'warn' : 'info', event: 'provider_circuit', provider, state })
      try {
        options.observer?.circuit?.(provider, state)
      } catch (error) {
        console.error('[mock gateway] the observer failed on a circuit change:', error)
      }
    },
  })
  const rateLimiter = new RateLimiter(limits.rate, now)
  const makeFixtures = (): Fixtures => {
    const made = createFixtures()
    options.fixtures?.(made)
    return made
  }
  const fixtures = makeFixtures()
  const history = new ChatHistory()
  const pubsub = createPubSub<ChatEvent>()
  const scheduler = createScheduler()
  const scenarios = new ScenarioQueue()
  const holds = new StreamHolds()
  const dropListeners = new Set<(userId: string) => void>()
  if (options.pipeline !== undefined && !isPipeline(options.pipeline)) {
    throw new TypeError(`The gateway option "pipeline" must be one of ${PIPELINES.join(', ')}, got ${JSON.stringify(options.pipeline)}.`)
  }
  const settings = new GatewaySettings(options.pipeline ?? 'react')

  const chat = new ChatRequests({
    fixtures,
    history,
    pubsub,
    scheduler,
    scenarios,
    holds,
    timing,
    model,
    limits,
    rateLimiter,
    audit,
    now,
    observer: options.observer,
    pipelineFor: (userId) => settings.pipelineFor(userId),
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

  const schema = makeExecutableSchema(gatewaySdl, createResolvers({ history, pubsub, chat, fixtures, limits, audit, transcriber: options.transcriber }))
  restrictIdScalars(schema)

  return {
    schema,
    validationRules: queryLimitRules(limits.query),
    authenticate: (authorization) => authenticate(fixtures, authorization),
    context: (viewer, request) => ({ viewer, reads: { length: 0 }, traceparent: request?.traceparent ?? null }),
    scenario(input) {
      scenarios.enqueue(readScenario(input, fixtures, timing.chunkSize).scenario)
    },
    parseScenario: (body) => readScenario(body, fixtures, timing.chunkSize).input,
    release(user) {
      const viewer = typeof user === 'string' ? findUser(fixtures, user) : undefined
      if (!viewer) throw new Error(`Invalid release: "user" ${JSON.stringify(user)} is not a known user; use ${fixtures.users.map((u) => u.username).join(' or ')}.`)
      return holds.release(viewer.id)
    },
    settings(input) {
      const { userId } = readSettings(input, fixtures)
      settings.set(userId, input.pipeline ?? null)
    },
    parseSettings: (body) => readSettings(body, fixtures).input,
    reset() {
      chat.abortAll()
      holds.releaseAll()
      // In place, because the tools and requests hold this very object.
      Object.assign(fixtures, makeFixtures())
      history.clear()
      scenarios.clear()
      settings.clear()
      rateLimiter.clear()
      model.reset()
    },
    onConnectionDrop(listener) {
      dropListeners.add(listener)
      return () => {
        dropListeners.delete(listener)
      }
    },
    runningRequests: (userId) => chat.runningOf(userId),
    providerStatus: () => model.status(),
    audit,
    dispose() {
      chat.abortAll()
      scheduler.dispose()
      pubsub.close()
      dropListeners.clear()
    },
  }
}
