/**
 * Gateway fan-out: one answer of 1,000 chunks delivered to 500 graphql-ws subscriptions of one
 * user (all with the answer's clientSubscriptionId, as 500 tabs waiting for it) on loopback
 * through `startGatewayServer`, against a raw `ws` broadcast of the very same frames (captured from
 * the gateway run) to 500 plain sockets in the same run.
 *
 * Two passes each:
 * - burst: every chunk as fast as it goes; the time until every socket has every chunk gives the
 *   ratio and chunks/s;
 * - paced: one chunk every PACE_MS (the gateway streams every 25 ms by default; 10 ms is a stress
 *   pace); per-delivery latency from the moment the gateway published the chunk (an in-process
 *   subscriber marks it) to its arrival on each socket, p95 against the goal of 50 ms. The pause
 *   starts after each publish and the stream shares the event loop with the fan-out, so the
 *   achieved rate (reported) is below 1000 / PACE_MS; it slows down rather than queueing.
 *
 * The 500 receiving sockets share the process and its event loop with the gateway, so the figures
 * are an upper bound of what the gateway alone costs. Loopback only; each pass gives up after
 * PASS_TIMEOUT_MS. FANOUT_CHUNKS, FANOUT_SUBSCRIBERS and FANOUT_PACE_MS override the sizes for quick runs.
 */
import { request as httpRequest } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { AddressInfo } from 'node:net'
import { parse, subscribe, type ExecutionResult } from 'graphql'
import { WebSocket, WebSocketServer } from 'ws'
import { startGatewayServer, type GatewayServer } from '../mocks/server'
import type { BenchResult } from './harness'

const CHUNKS = Number(process.env.FANOUT_CHUNKS ?? 1_000)
const SUBSCRIBERS = Number(process.env.FANOUT_SUBSCRIBERS ?? 500)
const CHUNK_SIZE = 8
const PACE_MS = Number(process.env.FANOUT_PACE_MS ?? 10)
const USER_ID = 'gid://gitlab/User/1'
const CLIENT_SUBSCRIPTION_ID = 'fanout-bench'
/** Any pass that takes longer than this has stalled: fail instead of hanging. */
const PASS_TIMEOUT_MS = 120_000
/** A short answer first, so that both sides run warm code. */
const WARMUP_CHUNKS = 50

/** The drawer's own selection, so that frames are as big as in real use. */
const SUBSCRIPTION = `subscription ($userId: UserID, $aiAction: AiAction, $clientSubscriptionId: String) {
  aiCompletionResponse(userId: $userId, aiAction: $aiAction, clientSubscriptionId: $clientSubscriptionId) {
    id requestId role type content contentHtml errors chunkId threadId timestamp
    extras { sources hasFeedback additionalContext { id category content metadata } }
  }
}`

/** Latency and throughput of one way of fanning out. */
export interface FanoutFigures {
  /** Burst: first chunk published → last chunk on the last socket. */
  burstMs: number
  /** Burst: chunks delivered to all sockets per second. */
  chunksPerSecond: number
  /** Burst: frames received per second over all sockets. */
  deliveriesPerSecond: number
  /** Paced: chunks per second the stream actually achieved (below 1000 / paceMs: each pause follows a publish). */
  pacedChunksPerSecond: number
  /** Paced: per-delivery latency percentiles, ms. */
  p50Ms: number
  p95Ms: number
  maxMs: number
}

/** {@link BenchResult} (burst times of raw ws as baseline, gateway as candidate) plus the latency figures. */
export interface FanoutBenchResult extends BenchResult {
  chunks: number
  subscribers: number
  paceMs: number
  gateway: FanoutFigures
  rawWs: FanoutFigures
}

/** Receives frames on many sockets and records when each chunk arrived on each. */
class Receivers {
  readonly sockets: WebSocket[] = []
  /** arrivals[socket * CHUNKS + chunkId - 1] = performance.now() */
  arrivals = new Float64Array(SUBSCRIBERS * CHUNKS)
  private remaining = 0
  private done: (() => void) | null = null
  /** Frames of chunks as the first socket received them, to replay in the raw pass. */
  captured: string[] = []
  capture = false

  expectChunks(chunks = CHUNKS): Promise<void> {
    this.arrivals.fill(0)
    this.remaining = SUBSCRIBERS * chunks
    return withTimeout(
      new Promise<void>((resolve) => {
        this.done = resolve
      }),
      'every socket to receive every chunk',
    )
  }

  /**
   * Handles a frame: records a chunk's arrival and says whether it was a chunk, a complete
   * ASSISTANT message or something else. Reads `"chunkId":` straight from the bytes, so that the
   * 500 receivers, which share the process with the gateway, cost as little as they can.
   */
  onFrame(index: number, raw: Buffer): 'chunk' | 'answer' | 'other' {
    const at = raw.indexOf(CHUNK_ID_KEY)
    if (at < 0) return 'other'
    let position = at + CHUNK_ID_KEY.length
    let chunkId = 0
    for (let byte = raw[position]; byte !== undefined && byte >= 48 && byte <= 57; byte = raw[++position]) chunkId = chunkId * 10 + byte - 48
    if (chunkId === 0) return raw.indexOf(ASSISTANT_KEY) >= 0 ? 'answer' : 'other'
    const slot = index * CHUNKS + chunkId - 1
    if (this.arrivals[slot] === 0) {
      this.arrivals[slot] = performance.now()
      this.remaining -= 1
      if (this.remaining === 0) this.done?.()
    }
    if (this.capture && index === 0) this.captured.push(raw.toString('utf8'))
    return 'chunk'
  }
}

const CHUNK_ID_KEY = Buffer.from('"chunkId":')
const ASSISTANT_KEY = Buffer.from('"role":"ASSISTANT"')

async function openGatewaySockets(server: GatewayServer, receivers: Receivers, onAnswer: () => void) {
  const query = SUBSCRIPTION
  const variables = { userId: USER_ID, aiAction: 'CHAT', clientSubscriptionId: CLIENT_SUBSCRIPTION_ID }
  await Promise.all(
    Array.from({ length: SUBSCRIBERS }, (_, index) =>
      withTimeout(
        new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false })
          receivers.sockets[index] = socket
          socket.once('error', reject)
          socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer alice-token' } })))
          let acknowledged = false
          socket.on('message', (raw: Buffer) => {
            if (!acknowledged) {
              const data = raw.toString('utf8')
              if (!data.startsWith('{"type":"connection_ack"')) return reject(new Error(`Unexpected first message: ${data}`))
              acknowledged = true
              socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }))
              resolve()
              return
            }
            if (receivers.onFrame(index, raw) === 'answer') onAnswer()
          })
        }),
        'a socket to connect',
      ),
    ),
  )
}

async function openRawSockets(url: string, receivers: Receivers): Promise<void> {
  await Promise.all(
    Array.from({ length: SUBSCRIBERS }, (_, index) =>
      new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(url, { perMessageDeflate: false })
        receivers.sockets[index] = socket
        socket.once('error', reject)
        socket.once('open', () => resolve())
        socket.on('message', (raw: Buffer) => receivers.onFrame(index, raw))
      }),
    ),
  )
}

/** Marks the moment the gateway publishes each chunk: an in-process subscriber, no network. */
async function openProbe(server: GatewayServer): Promise<{ published: Float64Array; close(): Promise<void> }> {
  const { gateway } = server
  const viewer = gateway.authenticate('alice-token')
  const result = await subscribe({
    schema: gateway.schema,
    document: parse(SUBSCRIPTION),
    variableValues: { userId: USER_ID, aiAction: 'CHAT', clientSubscriptionId: CLIENT_SUBSCRIPTION_ID },
    contextValue: gateway.context(viewer),
  })
  if (!(Symbol.asyncIterator in result)) throw new Error(`The probe subscription was refused: ${JSON.stringify(result.errors)}`)
  const published = new Float64Array(CHUNKS)
  const pump = (async () => {
    for await (const event of result as AsyncIterable<ExecutionResult>) {
      const chunkId = (event.data as { aiCompletionResponse: { chunkId: number | null } }).aiCompletionResponse.chunkId
      if (chunkId !== null && published[chunkId - 1] === 0) published[chunkId - 1] = performance.now()
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

async function askOverHttp(server: GatewayServer, delayMs: number, chunks = CHUNKS): Promise<void> {
  const text = Array.from({ length: chunks }, (_, index) => `${String(index).padStart(CHUNK_SIZE - 1, '0')} `).join('')
  server.gateway.scenario({ user: 'alice', text, chunkSize: CHUNK_SIZE, delayMs })
  const body = (await postJson(server.url, {
    query: 'mutation ($input: AiActionInput!) { aiAction(input: $input) { requestId errors } }',
    variables: { input: { chat: { content: 'fan-out' }, clientSubscriptionId: CLIENT_SUBSCRIPTION_ID } },
  })) as { data?: { aiAction?: { requestId: string | null; errors: string[] } } }
  if (!body.data?.aiAction?.requestId) throw new Error(`aiAction failed: ${JSON.stringify(body)}`)
}

function figures(receivers: Receivers, published: Float64Array, paced: boolean): Partial<FanoutFigures> {
  if (!paced) {
    let first = Number.POSITIVE_INFINITY
    for (const time of published) if (time > 0 && time < first) first = time
    let last = 0
    for (const time of receivers.arrivals) if (time > last) last = time
    const burstMs = last - first
    return { burstMs, chunksPerSecond: (CHUNKS / burstMs) * 1000, deliveriesPerSecond: ((CHUNKS * SUBSCRIBERS) / burstMs) * 1000 }
  }
  const pacedChunksPerSecond = ((CHUNKS - 1) / ((published[CHUNKS - 1] ?? 0) - (published[0] ?? 0))) * 1000
  const latencies = new Float64Array(SUBSCRIBERS * CHUNKS)
  for (let socket = 0; socket < SUBSCRIBERS; socket += 1) {
    for (let chunk = 0; chunk < CHUNKS; chunk += 1) {
      const index = socket * CHUNKS + chunk
      latencies[index] = (receivers.arrivals[index] ?? 0) - (published[chunk] ?? 0)
    }
  }
  latencies.sort()
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))] ?? 0
  return { pacedChunksPerSecond, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: latencies[latencies.length - 1] ?? 0 }
}

async function gatewayPasses(): Promise<{ figures: FanoutFigures; frames: string[] }> {
  const server = await startGatewayServer({ port: 0, env: false, timing: { toolMs: 0, chunkDelayMs: 0, chunkSize: CHUNK_SIZE }, limits: { rate: null } })
  const receivers = new Receivers()
  try {
    let answers = 0
    let answered: (() => void) | null = null
    await openGatewaySockets(server, receivers, () => {
      answers += 1
      if (answers % SUBSCRIBERS === 0) answered?.()
    })
    // A first answer proves every subscription is live (and warms up the code paths).
    const ready = new Promise<void>((resolve) => {
      answered = resolve
    })
    const warmup = receivers.expectChunks(WARMUP_CHUNKS)
    await askOverHttp(server, 0, WARMUP_CHUNKS)
    await Promise.all([warmup, withTimeout(ready, 'the warm-up answer')])

    const result: Partial<FanoutFigures> = {}
    for (const paced of [false, true]) {
      const probe = await openProbe(server)
      receivers.capture = !paced
      const delivered = receivers.expectChunks()
      await askOverHttp(server, paced ? PACE_MS : 0)
      await delivered
      await probe.close()
      Object.assign(result, figures(receivers, probe.published, paced))
    }
    return { figures: result as FanoutFigures, frames: receivers.captured }
  } finally {
    for (const socket of receivers.sockets) socket?.terminate()
    await server.close()
  }
}

async function rawPasses(frames: readonly string[]): Promise<FanoutFigures> {
  if (frames.length !== CHUNKS) throw new Error(`Captured ${frames.length} frames instead of ${CHUNKS}.`)
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`
  const receivers = new Receivers()
  try {
    await openRawSockets(url, receivers)
    while (wss.clients.size < SUBSCRIBERS) await new Promise((resolve) => setImmediate(resolve))
    const clients = [...wss.clients]
    const broadcast = async (paced: boolean, count = CHUNKS): Promise<Float64Array> => {
      const published = new Float64Array(CHUNKS)
      for (const [index, frame] of frames.slice(0, count).entries()) {
        if (paced && index > 0) await new Promise((resolve) => setTimeout(resolve, PACE_MS))
        published[index] = performance.now()
        for (const client of clients) client.send(frame)
      }
      return published
    }
    const warmup = receivers.expectChunks(WARMUP_CHUNKS)
    await broadcast(false, WARMUP_CHUNKS)
    await warmup

    const result: Partial<FanoutFigures> = {}
    for (const paced of [false, true]) {
      const delivered = receivers.expectChunks()
      const published = await broadcast(paced)
      await delivered
      Object.assign(result, figures(receivers, published, paced))
    }
    return result as FanoutFigures
  } finally {
    for (const socket of receivers.sockets) socket?.terminate()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
  }
}

/** POST over a fresh connection: a kept-alive one can be closed by the server while the bench keeps the loop busy. */
function postJson(url: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer alice-token' },
    })
    request.once('error', reject)
    request.once('response', (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.once('end', () => {
        try {
          resolve(JSON.parse(text))
        } catch (error) {
          reject(error)
        }
      })
    })
    request.end(JSON.stringify(body))
  })
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`fan-out bench: gave up waiting for ${what} after ${PASS_TIMEOUT_MS} ms.`)), PASS_TIMEOUT_MS)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

const format = (figures: FanoutFigures) =>
  `burst ${figures.burstMs.toFixed(0)} ms (${figures.chunksPerSecond.toFixed(0)} chunks/s, ` +
  `${(figures.deliveriesPerSecond / 1000).toFixed(0)}k frames/s); paced every ${PACE_MS} ms ` +
  `(achieved ${figures.pacedChunksPerSecond.toFixed(0)} chunks/s): ` +
  `p50 ${figures.p50Ms.toFixed(1)} ms, p95 ${figures.p95Ms.toFixed(1)} ms, max ${figures.maxMs.toFixed(1)} ms`

/**
 * `npm run bench` entry. Returns a {@link FanoutBenchResult}: `baselineMs`/`candidateMs` are the
 * burst times (raw ws vs gateway) and `ratio` their quotient; the latency and throughput figures
 * of both are in `gateway` and `rawWs` and are printed here as well.
 */
export async function fanoutBench(): Promise<FanoutBenchResult> {
  const { figures: gateway, frames } = await gatewayPasses()
  const rawWs = await rawPasses(frames)
  console.log(`fan-out gateway: ${format(gateway)}`)
  console.log(`fan-out raw ws:  ${format(rawWs)}`)
  console.log(
    `fan-out ratios (gateway / raw ws): burst time ${(gateway.burstMs / rawWs.burstMs).toFixed(2)}×, ` +
      `p95 latency ${(gateway.p95Ms / rawWs.p95Ms).toFixed(2)}×; gateway p95 ${gateway.p95Ms.toFixed(1)} ms ` +
      `${gateway.p95Ms < 50 ? 'meets' : 'misses'} the 50 ms goal`,
  )
  return {
    name: `gateway fan-out (${CHUNKS.toLocaleString('en-US')} chunks to ${SUBSCRIBERS} graphql-ws subscriptions, loopback)`,
    baselineName: 'raw ws broadcast of the same frames',
    baselineMs: rawWs.burstMs,
    candidateMs: gateway.burstMs,
    ratio: gateway.burstMs / rawWs.burstMs,
    goal: `p95 delivery latency < 50 ms (measured ${gateway.p95Ms.toFixed(1)} ms at one chunk every ${PACE_MS} ms)`,
    chunks: CHUNKS,
    subscribers: SUBSCRIBERS,
    paceMs: PACE_MS,
    gateway,
    rawWs,
  }
}
