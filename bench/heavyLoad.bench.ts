/**
 * Fairness under load: how evenly bob's streamed answer arrives while alice sends the heaviest
 * requests the gateway allows, against the same answer with the gateway idle, in one process on
 * loopback (127.0.0.1 only) through `startGatewayServer` with its default limits (but for threads
 * per user, see below).
 *
 * Chunk latency here is what bob sees: the time between two consecutive chunks arriving on his
 * graphql-ws socket. Idle, that is the stream's pace (25 ms, the gateway's default) plus a little;
 * whatever alice's requests block the event loop for shows up in it. The goal: the loaded p95 under
 * 2× the idle p95. The publish → arrival delay per chunk is printed too.
 *
 * Alice's load, in LOAD_CLIENTS loops at once, each alternating:
 * - the heaviest allowed `aiAction` request: as many aliased `aiAction`s as the cost budget lets
 *   through, each with the largest allowed input (a 10,000-character question and 20 context items
 *   filling the 100,000-character context limit, ids and metadata included);
 * - the heaviest allowed `aiMessages` read: her thread filled to its size limit beforehand, read
 *   with as many aliases as the limits let through without an error.
 * Each loop stops when bob's answer is complete or after LOAD_MAX_REQUESTS requests. Alice's
 * responses are counted, not parsed, so that the bench's own client costs the shared loop little;
 * still, the receiving ends share the process with the gateway, so the loaded figures are an upper
 * bound. LOAD_CHUNKS, LOAD_CLIENTS and LOAD_MAX_REQUESTS override the sizes for quick runs.
 */
import { request as httpRequest } from 'node:http'
import { performance } from 'node:perf_hooks'
import { parse, subscribe, type ExecutionResult } from 'graphql'
import { WebSocket } from 'ws'
import { startGatewayServer, type GatewayServer } from '../mocks/server'
import type { BenchResult } from './harness'

const CHUNKS = Number(process.env.LOAD_CHUNKS ?? 200)
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 2)
const MAX_REQUESTS = Number(process.env.LOAD_MAX_REQUESTS ?? 5_000)
/** `reads`, `writes` or `both` (default): which of alice's requests load the gateway, to see what each costs. */
const MIX = process.env.LOAD_MIX ?? 'both'
const PACE_MS = 25
/** Idle and loaded passes, taking turns; the medians count. */
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 3)
const CHUNK_SIZE = 8
const ALICE_ID = 'gid://gitlab/User/1'
const BOB_ID = 'gid://gitlab/User/2'
const BOB_SUBSCRIPTION = 'load-bench-bob'
/** Anything that takes longer than this has stalled: fail instead of hanging. */
const PASS_TIMEOUT_MS = 120_000

const SUBSCRIPTION = `subscription ($userId: UserID, $aiAction: AiAction, $clientSubscriptionId: String) {
  aiCompletionResponse(userId: $userId, aiAction: $aiAction, clientSubscriptionId: $clientSubscriptionId) {
    id requestId role type content contentHtml errors chunkId threadId timestamp
    extras { sources hasFeedback additionalContext { id category content metadata } }
  }
}`

/** The largest input the default limits take: 10,000 characters of question, 100,000 of context in 20 items. */
function heaviestInput(threadId: string | null, salt: number) {
  const items = Array.from({ length: 20 }, (_, index) => {
    const id = `f${String(index).padStart(2, '0')}`
    const metadata = { title: id }
    // id + category + metadata as JSON count toward the 100,000 characters too.
    const overhead = id.length + 'SNIPPET'.length + JSON.stringify(metadata).length
    return { category: 'SNIPPET', id, content: String(salt % 10).repeat(5_000 - overhead), metadata }
  })
  return { chat: { content: `${salt} `.padEnd(10_000, 'q'), additionalContext: items }, threadId }
}

const mutation = (aliases: number) =>
  `mutation ($input: AiActionInput!) { ${Array.from({ length: aliases }, (_, index) => `a${index}: aiAction(input: $input) { requestId threadId errors }`).join(' ')} }`

const read = (aliases: number) =>
  `query ($threadId: AiConversationThreadID) { ${Array.from(
    { length: aliases },
    (_, index) => `m${index}: aiMessages(threadId: $threadId) { nodes { id role content errors extras { additionalContext { id category content metadata } } } }`,
  ).join(' ')} }`

interface Reply {
  status: number
  text: string
}

/** POST over a fresh loopback connection. */
function post(server: GatewayServer, token: string, body: unknown, keepText = true): Promise<Reply & { bytes: number }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(server.url, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    })
    request.once('error', reject)
    request.once('response', (response) => {
      const parts: Buffer[] = []
      let bytes = 0
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        if (keepText || parts.length === 0) parts.push(chunk)
      })
      response.once('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8'), bytes }))
    })
    request.end(JSON.stringify(body))
  })
}

/** The most aliases of `build` the gateway answers without errors (at least 1). */
async function mostAllowed(server: GatewayServer, build: (aliases: number) => string, variables: (aliases: number) => unknown): Promise<number> {
  for (let aliases = 30; aliases > 1; aliases -= 1) {
    const reply = await post(server, 'alice-token', { query: build(aliases), variables: variables(aliases) }, true)
    if (reply.status === 200 && !reply.text.includes('"errors":[{') && !reply.text.startsWith('{"errors"')) return aliases
  }
  return 1
}

/** Fills a thread of alice's up to its size limit; returns its id. */
async function fillThread(server: GatewayServer): Promise<string> {
  let threadId: string | null = null
  for (let turn = 0; turn < 50; turn += 1) {
    const reply = await post(server, 'alice-token', { query: mutation(1), variables: { input: heaviestInput(threadId, turn) } })
    const payload = (JSON.parse(reply.text) as { data?: { a0?: { threadId: string | null; errors: string[] } } }).data?.a0
    if (!payload?.threadId) {
      if (threadId && payload?.errors[0]?.includes('M1005')) return threadId
      throw new Error(`load bench: filling alice's thread failed: ${reply.text.slice(0, 300)}`)
    }
    threadId = payload.threadId
  }
  throw new Error('load bench: alice’s thread never filled up.')
}

/** Bob's socket: records when each chunk of his answers arrives. */
class BobSocket {
  arrivals = new Float64Array(CHUNKS)
  private remaining = 0
  private done: (() => void) | null = null

  private constructor(readonly socket: WebSocket) {}

  static open(server: GatewayServer): Promise<BobSocket> {
    return withTimeout(
      new Promise<BobSocket>((resolve, reject) => {
        const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false })
        const bob = new BobSocket(socket)
        socket.once('error', reject)
        socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer bob-token' } })))
        let acknowledged = false
        socket.on('message', (raw: Buffer) => {
          if (!acknowledged) {
            acknowledged = true
            const variables = { userId: BOB_ID, aiAction: 'CHAT', clientSubscriptionId: BOB_SUBSCRIPTION }
            socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables } }))
            // The subscription is live once graphql-ws has run it; a first answer proves it (warm-up).
            resolve(bob)
            return
          }
          bob.onFrame(raw)
        })
      }),
      'bob to connect',
    )
  }

  expect(chunks: number): Promise<void> {
    this.arrivals.fill(0)
    this.remaining = chunks
    return withTimeout(
      new Promise<void>((resolve) => {
        this.done = resolve
      }),
      "bob's answer",
    )
  }

  private onFrame(raw: Buffer): void {
    const at = raw.indexOf(CHUNK_ID_KEY)
    if (at < 0) return
    let position = at + CHUNK_ID_KEY.length
    let chunkId = 0
    for (let byte = raw[position]; byte !== undefined && byte >= 48 && byte <= 57; byte = raw[++position]) chunkId = chunkId * 10 + byte - 48
    if (chunkId === 0 || chunkId > CHUNKS || this.arrivals[chunkId - 1] !== 0) return
    this.arrivals[chunkId - 1] = performance.now()
    this.remaining -= 1
    if (this.remaining === 0) this.done?.()
  }
}

const CHUNK_ID_KEY = Buffer.from('"chunkId":')

/** Marks when the gateway publishes each of bob's chunks: an in-process subscriber, no network. */
async function openProbe(server: GatewayServer) {
  const { gateway } = server
  const result = await subscribe({
    schema: gateway.schema,
    document: parse(SUBSCRIPTION),
    variableValues: { userId: BOB_ID, aiAction: 'CHAT', clientSubscriptionId: BOB_SUBSCRIPTION },
    contextValue: gateway.context(gateway.authenticate('bob-token')),
  })
  if (!(Symbol.asyncIterator in result)) throw new Error(`load bench: the probe was refused: ${JSON.stringify(result.errors)}`)
  const published = new Float64Array(CHUNKS)
  const pump = (async () => {
    for await (const event of result as AsyncIterable<ExecutionResult>) {
      const chunkId = (event.data as { aiCompletionResponse: { chunkId: number | null } }).aiCompletionResponse.chunkId
      if (chunkId !== null && chunkId <= CHUNKS && published[chunkId - 1] === 0) published[chunkId - 1] = performance.now()
    }
  })()
  return {
    published,
    async close() {
      await (result as AsyncGenerator).return?.(undefined)
      await pump
    },
  }
}

/** Bob asks; his answer is `chunks` chunks at the default pace. */
async function bobAsks(server: GatewayServer, chunks: number): Promise<void> {
  const text = Array.from({ length: chunks }, (_, index) => `${String(index).padStart(CHUNK_SIZE - 1, '0')} `).join('')
  server.gateway.scenario({ user: 'bob', text, chunkSize: CHUNK_SIZE, delayMs: PACE_MS })
  const reply = await post(server, 'bob-token', {
    query: 'mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId errors } }',
    variables: { input: { chat: { content: 'a long answer, please' }, clientSubscriptionId: BOB_SUBSCRIPTION } },
  })
  if (!reply.text.includes('"requestId":"')) throw new Error(`load bench: bob's aiAction failed: ${reply.text.slice(0, 300)}`)
}

interface StreamFigures {
  /** p50/p95/max of the time between consecutive chunks on bob's socket, ms. */
  gapP50: number
  gapP95: number
  gapMax: number
  /** p95 of publish → arrival, ms. */
  deliveryP95: number
}

const percentile = (values: Float64Array, share: number) => values[Math.min(values.length - 1, Math.floor(share * values.length))] ?? 0

function streamFigures(arrivals: Float64Array, published: Float64Array): StreamFigures {
  const gaps = new Float64Array(arrivals.length - 1)
  for (let index = 1; index < arrivals.length; index += 1) gaps[index - 1] = (arrivals[index] ?? 0) - (arrivals[index - 1] ?? 0)
  gaps.sort()
  const delays = new Float64Array(arrivals.length)
  for (let index = 0; index < arrivals.length; index += 1) delays[index] = (arrivals[index] ?? 0) - (published[index] ?? 0)
  delays.sort()
  return { gapP50: percentile(gaps, 0.5), gapP95: percentile(gaps, 0.95), gapMax: gaps[gaps.length - 1] ?? 0, deliveryP95: percentile(delays, 0.95) }
}

/** Waits until alice's answers from earlier requests are written, so that an idle pass is idle. */
async function aliceSettled(server: GatewayServer): Promise<void> {
  const started = performance.now()
  while (server.gateway.runningRequests(ALICE_ID) > 0) {
    if (performance.now() - started > PASS_TIMEOUT_MS) throw new Error("load bench: alice's answers never finished.")
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** One pass: bob's answer streamed while `load` runs (or nothing); his figures. */
async function pass(server: GatewayServer, bob: BobSocket, load?: (stop: () => boolean) => Promise<void>): Promise<StreamFigures> {
  if (!load) await aliceSettled(server)
  const probe = await openProbe(server)
  const delivered = bob.expect(CHUNKS)
  let finished = false
  const stop = () => finished
  await bobAsks(server, CHUNKS)
  const loads = load ? Array.from({ length: CLIENTS }, () => load(stop)) : []
  await delivered
  finished = true
  await Promise.all(loads)
  await probe.close()
  return streamFigures(bob.arrivals, probe.published)
}

interface LoadCounters {
  requests: number
  bytes: number
  largest: number
  /** Whether the loops hit LOAD_MAX_REQUESTS before bob's answer was complete (the tail then ran unloaded). */
  endedEarly: boolean
}

export interface HeavyLoadBenchResult extends BenchResult {
  idle: StreamFigures
  loaded: StreamFigures
  alice: LoadCounters & { mutationAliases: number; readAliases: number }
}

const ms = (value: number) => `${value.toFixed(1)} ms`

/** `npm run bench` entry: bob's p95 chunk gap under alice's heaviest allowed load against idle. */
export async function heavyLoadBench(): Promise<HeavyLoadBenchResult> {
  // Default limits except one that would make alice's load lighter: with 100 threads a user, her new
  // chats would soon forget her full thread, and her reads would come back empty.
  const server = await startGatewayServer({ port: 0, host: '127.0.0.1', env: false, limits: { maxThreadsPerUser: 1_000_000 } })
  let bob: BobSocket | null = null
  try {
    const threadId = await fillThread(server)
    const readAliases = await mostAllowed(server, read, () => ({ threadId }))
    const mutationAliases = await mostAllowed(server, mutation, (aliases) => ({ input: heaviestInput(null, aliases) }))
    bob = await BobSocket.open(server)

    // Warm-up: a short answer proves bob's subscription is live and warms the code paths.
    const warm = bob.expect(20)
    await bobAsks(server, 20)
    await warm

    const counters: LoadCounters = { requests: 0, bytes: 0, largest: 0, endedEarly: false }
    let salt = 1_000
    const load = async (stop: () => boolean) => {
      for (let round = 0; !stop() && counters.requests < MAX_REQUESTS; round += 1) {
        const write = MIX === 'writes' || (MIX !== 'reads' && round % 2 === 0)
        const body = write
          ? { query: mutation(mutationAliases), variables: { input: heaviestInput(null, salt++) } }
          : { query: read(readAliases), variables: { threadId } }
        const reply = await post(server, 'alice-token', body, false)
        counters.requests += 1
        counters.bytes += reply.bytes
        counters.largest = Math.max(counters.largest, reply.bytes)
      }
      if (!stop()) counters.endedEarly = true
    }
    // Idle and loaded passes take turns, so that the shared machine's drift hits both; the median of each counts.
    const idles: StreamFigures[] = []
    const loadeds: StreamFigures[] = []
    for (let round = 0; round < ROUNDS; round += 1) {
      idles.push(await pass(server, bob))
      counters.requests = 0
      counters.bytes = 0
      loadeds.push(await pass(server, bob, load))
    }
    const byP95 = (figures: StreamFigures[]) => [...figures].sort((left, right) => left.gapP95 - right.gapP95)[Math.floor(figures.length / 2)]!
    const baseline = byP95(idles)
    const loaded = byP95(loadeds)
    const ratio = loaded.gapP95 / baseline.gapP95

    console.log(
      `heavy load: alice ${counters.requests} requests in the last loaded pass, ${CLIENTS} loops (${mutationAliases} aliased aiAction of 110,000 characters each, ` +
        `or ${readAliases} alias(es) of aiMessages on a full thread), ${(counters.bytes / 1e6).toFixed(1)} MB read, largest reply ${(counters.largest / 1e6).toFixed(2)} MB` +
        (counters.endedEarly ? ` (LOAD_MAX_REQUESTS reached before bob's answer ended: the tail ran unloaded)` : ''),
    )
    console.log(
      `heavy load (median of ${ROUNDS}): bob's chunk gap idle p50 ${ms(baseline.gapP50)} p95 ${ms(baseline.gapP95)} max ${ms(baseline.gapMax)}; ` +
        `loaded p50 ${ms(loaded.gapP50)} p95 ${ms(loaded.gapP95)} max ${ms(loaded.gapMax)}; ` +
        `publish→arrival p95 idle ${ms(baseline.deliveryP95)}, loaded ${ms(loaded.deliveryP95)}; ` +
        `ratio ${ratio.toFixed(2)}× ${ratio < 2 ? 'meets' : 'misses'} the goal of under 2× idle`,
    )
    return {
      name: `bob's answer (${CHUNKS} chunks every ${PACE_MS} ms) while alice sends the heaviest allowed requests, p95 chunk gap`,
      baselineName: 'the same answer with the gateway idle',
      baselineMs: baseline.gapP95,
      candidateMs: loaded.gapP95,
      ratio,
      goal: 'under 2× idle',
      idle: baseline,
      loaded,
      alice: { ...counters, mutationAliases, readAliases },
    }
  } finally {
    bob?.socket.terminate()
    await server.close()
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`load bench: gave up waiting for ${what} after ${PASS_TIMEOUT_MS} ms.`)), PASS_TIMEOUT_MS)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

// `node --import tsx bench/heavyLoad.bench.ts` runs this bench alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { print } = await import('./harness')
  print([await heavyLoadBench()])
  process.exit(0)
}
