/**
 * Scripted answers: a test or a story queues what a user's next question gets, to exercise the
 * client's handling of chunk order, errors and dropped connections. Scenarios queue per user and
 * are used first in, first out; each replaces the whole answer pipeline for one question.
 */
import { findUser } from './auth'
import { CHUNK_ORDERS, countChunks, type ChunkOrder } from './chunking'
import { isErrorCodeFormat } from './errors'
import type { Fixtures } from './fixtures'

/** A scripted answer, as `POST /__mock/scenario` and `gateway.scenario()` take it. */
export interface ScenarioInput {
  /** `alice`, `bob` or a user global id. */
  user: string
  /** The answer text; the agent and its tools are skipped. Without it the agent answers, streamed as this scenario says. */
  text?: string
  /** Characters per chunk; defaults to the gateway's `timing.chunkSize`. */
  chunkSize?: number
  /** Pause between chunks in ms; defaults to the gateway's `timing.chunkDelayMs`. */
  delayMs?: number
  /** @default 'in-order' */
  order?: ChunkOrder
  /** E.g. `A1001`: the request ends with this error (after streaming `text`, if given). */
  errorCode?: string
  /** Fires `onConnectionDrop(userId)` right after chunk N is published; the answer still completes and is stored. */
  dropConnectionAfterChunk?: number
  /**
   * The stream pauses after each of these chunk positions (1 is the first chunk sent) until
   * `gateway.release(user)` / `POST /__mock/release`: a test acts mid-stream without racing its end.
   */
  holdAfterChunks?: number[]
}

/** A validated scenario, bound to a user id. */
export interface Scenario {
  userId: string
  text: string | null
  chunkSize: number | null
  delayMs: number | null
  order: ChunkOrder
  errorCode: string | null
  dropConnectionAfterChunk: number | null
  holdAfterChunks: number[]
}

const FIELDS = ['user', 'text', 'chunkSize', 'delayMs', 'order', 'errorCode', 'dropConnectionAfterChunk', 'holdAfterChunks'] as const

/** A scenario's delay longer than this is almost surely a unit mistake (seconds for ms) and would stall tests. */
const MAX_DELAY_MS = 60_000

function fail(problem: string): never {
  throw new Error(`Invalid scenario: ${problem}`)
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value)
}

function positiveInteger(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(`"${field}" must be a positive integer, got ${describe(value)}.`)
  }
  return value
}

/**
 * Validates a scenario (for example the JSON body of `POST /__mock/scenario`) and binds it to its
 * user. Throws an Error that names the offending field, so that a typo fails loudly instead of
 * silently changing nothing.
 */
export function readScenario(body: unknown, fixtures: Fixtures, defaultChunkSize: number): { input: ScenarioInput; scenario: Scenario } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(`expected a JSON object, got ${describe(body)}.`)
  const record = body as Record<string, unknown>
  const unknown = Object.keys(record).find((key) => !(FIELDS as readonly string[]).includes(key))
  if (unknown !== undefined) fail(`unknown field "${unknown}"; the fields are ${FIELDS.join(', ')}.`)

  if (typeof record.user !== 'string') fail(`"user" must be a username or a user global id, got ${describe(record.user)}.`)
  const user = findUser(fixtures, record.user)
  if (!user) fail(`"user" ${describe(record.user)} is not a known user; use ${fixtures.users.map((u) => u.username).join(' or ')}.`)

  const text = record.text
  if (text !== undefined && typeof text !== 'string') fail(`"text" must be a string, got ${describe(text)}.`)

  const errorCode = record.errorCode
  if (errorCode !== undefined && (typeof errorCode !== 'string' || !isErrorCodeFormat(errorCode))) {
    fail(`"errorCode" must look like GitLab's codes (a letter A, G or M and four digits, e.g. "A1001"), got ${describe(errorCode)}.`)
  }
  if (text === '' && errorCode === undefined) fail('"text" must not be empty; leave it out to let the agent answer.')

  const order = record.order
  if (order !== undefined && !CHUNK_ORDERS.includes(order as ChunkOrder)) {
    fail(`"order" must be one of ${CHUNK_ORDERS.join(', ')}, got ${describe(order)}.`)
  }

  const chunkSize = positiveInteger(record, 'chunkSize')
  const delayMs = record.delayMs
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS)) {
    fail(`"delayMs" must be an integer from 0 to ${MAX_DELAY_MS}, got ${describe(delayMs)}.`)
  }
  const dropAfter = positiveInteger(record, 'dropConnectionAfterChunk')
  if (dropAfter !== undefined && text) {
    const chunks = countChunks(text, chunkSize ?? defaultChunkSize)
    if (dropAfter > chunks) fail(`"dropConnectionAfterChunk" is ${dropAfter}, but "text" makes only ${chunks} chunks.`)
  }
  const holds = record.holdAfterChunks
  if (holds !== undefined) {
    const valid = Array.isArray(holds) && holds.every((n, i) => Number.isInteger(n) && n >= 1 && (i === 0 || n > holds[i - 1]))
    if (!valid) fail(`"holdAfterChunks" must be increasing positive integers, got ${describe(holds)}.`)
    const last = (holds as number[]).at(-1)
    if (text && last !== undefined && last >= countChunks(text, chunkSize ?? defaultChunkSize)) {
      fail(`"holdAfterChunks" holds after chunk ${last}, but "text" makes only ${countChunks(text, chunkSize ?? defaultChunkSize)} chunks: the answer would end held.`)
    }
  }

  const input: ScenarioInput = { user: record.user }
  if (text !== undefined) input.text = text
  if (chunkSize !== undefined) input.chunkSize = chunkSize
  if (delayMs !== undefined) input.delayMs = delayMs as number
  if (order !== undefined) input.order = order as ChunkOrder
  if (errorCode !== undefined) input.errorCode = errorCode as string
  if (dropAfter !== undefined) input.dropConnectionAfterChunk = dropAfter
  if (holds !== undefined) input.holdAfterChunks = [...(holds as number[])]

  return {
    input,
    scenario: {
      userId: user.id,
      text: text ? text : null,
      chunkSize: chunkSize ?? null,
      delayMs: (delayMs as number | undefined) ?? null,
      order: (order as ChunkOrder | undefined) ?? 'in-order',
      errorCode: (errorCode as string | undefined) ?? null,
      dropConnectionAfterChunk: dropAfter ?? null,
      holdAfterChunks: holds === undefined ? [] : [...(holds as number[])],
    },
  }
}

/** Scenarios waiting for their user's next question. */
export class ScenarioQueue {
  private readonly queues = new Map<string, Scenario[]>()

  /** Queues a scenario behind the user's earlier ones. */
  enqueue(scenario: Scenario): void {
    const queue = this.queues.get(scenario.userId) ?? []
    queue.push(scenario)
    this.queues.set(scenario.userId, queue)
  }

  /** The user's oldest waiting scenario, removed from the queue. */
  take(userId: string): Scenario | undefined {
    const queue = this.queues.get(userId)
    const scenario = queue?.shift()
    if (queue?.length === 0) this.queues.delete(userId)
    return scenario
  }

  /** How many scenarios wait for the user. */
  pending(userId: string): number {
    return this.queues.get(userId)?.length ?? 0
  }

  /** Drops all waiting scenarios. */
  clear(): void {
    this.queues.clear()
  }
}
