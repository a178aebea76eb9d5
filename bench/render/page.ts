/**
 * The page `bench/render.bench.ts` drives in Chromium: the real drawer (store, list, message,
 * streaming renderer) fed through a fake transport, and the baselines it is compared with.
 */
import { createApp, type App } from 'vue'
import { marked } from 'marked'
import { createDuoChat, DuoChatDrawer, duoChatGlobalState, useDuoChatStore } from '../../src/index'
import DOMPurify from 'dompurify'
import { SANITIZE_CONFIG } from '../../src/render/sanitize'
import { answers } from '../../src/render/fixtures/answers'
import type { AiMessage } from '../../src/transport/types'
import { FakeChatApi } from '../../tests/fakeChatApi'

/**
 * Work the drawer does for a streamed answer, timed in the page the way the baselines are timed
 * (each update followed by the layout it forces, paint not counted): delivering chunks (store,
 * Vue), the renderer's frame callbacks and the list's ResizeObserver (scroll-follow).
 */
const work = { on: false, ms: 0, layoutTarget: null as HTMLElement | null, parts: { deliver: 0, frames: 0, layout: 0, resize: 0, count: 0 } }
const nativeFrame = window.requestAnimationFrame.bind(window)
window.requestAnimationFrame = (callback) =>
  nativeFrame((time) => {
    if (!work.on) return callback(time)
    const start = performance.now()
    callback(time)
    const mid = performance.now()
    void work.layoutTarget?.offsetHeight
    const end = performance.now()
    work.ms += end - start
    work.parts.frames += mid - start
    work.parts.layout += end - mid
    work.parts.count++
  })
const NativeResizeObserver = window.ResizeObserver
window.ResizeObserver = class extends NativeResizeObserver {
  constructor(callback: ResizeObserverCallback) {
    super((entries, observer) => {
      const start = performance.now()
      callback(entries, observer)
      if (work.on) work.ms += performance.now() - start
      if (work.on) work.parts.resize += performance.now() - start
    })
  }
}

const frame = (): Promise<number> => new Promise((resolve) => nativeFrame(resolve))
/** Resolves in the first task after the next frame was painted. */
const afterPaint = (): Promise<number> =>
  new Promise((resolve) =>
    nativeFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => resolve(performance.now())
      channel.port2.postMessage(0)
    }),
  )

// Long tasks, for the whole page life; the driver reads the ones in a window.
const longTasks: Array<{ start: number; duration: number }> = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration })
}).observe({ type: 'longtask', buffered: true })

/** marked + DOMPurify to a string, as every peer renders: the baselines' renderer. */
function renderMarkdown(markdown: string): string {
  return DOMPurify.sanitize(marked.parse(markdown, { gfm: true, async: false }), SANITIZE_CONFIG)
}

/** A stage shaped like the drawer's message body, for the baselines. */
function stage(): HTMLElement {
  const host = document.getElementById('stage-host')!
  host.replaceChildren()
  host.className = 'duo-chat-drawer'
  const body = document.createElement('div')
  body.className = 'duo-chat-message__markdown'
  body.style.overflowY = 'auto'
  body.style.flex = '1'
  host.append(body)
  return body
}

function clearStage(): void {
  const host = document.getElementById('stage-host')!
  host.replaceChildren()
  host.className = ''
}

function history(count: number): AiMessage[] {
  const texts = Object.values(answers)
  return Array.from({ length: count }, (_, i) => ({
    id: `gid://gitlab/Ai::Message/${i}`,
    requestId: `history-${Math.floor(i / 2)}`,
    role: i % 2 ? 'ASSISTANT' : 'USER',
    content: i % 2 ? texts[i % texts.length]! : `Question ${i / 2}: what about step ${i}?`,
    errors: [],
    chunkId: null,
    threadId: 'gid://gitlab/Ai::Conversation::Thread/1',
    timestamp: new Date(Date.UTC(2026, 0, 1, 9, 0, i)).toISOString(),
    extras: null,
  }))
}

let app: App | null = null
let fake: FakeChatApi | null = null
let store: ReturnType<typeof useDuoChatStore> | null = null

async function mountDrawer(historyCount: number): Promise<void> {
  app?.unmount()
  clearStage()
  duoChatGlobalState.isShown = false
  // A fresh visit: no thread remembered from the previous scenario.
  localStorage.clear()
  fake = new FakeChatApi()
  fake.history = history(historyCount)
  const host = document.getElementById('drawer')!
  host.replaceChildren()
  app = createApp(DuoChatDrawer).use(createDuoChat({ graphqlUrl: 'http://127.0.0.1:9/graphql', userId: 'gid://gitlab/User/1', api: fake }))
  app.mount(host)
  store = app.runWithContext(() => useDuoChatStore())
  await afterPaint()
}

const messageCount = (): number => document.querySelectorAll('#drawer .duo-chat-message').length

/**
 * Opens the drawer on its history; resolves with the time to the first paint that shows the
 * newest messages, and the time until every message is in the DOM.
 */
async function openDrawer(expected: number): Promise<{ ms: number; allMs: number; lastVisible: boolean; shownFirst: number }> {
  await afterPaint()
  const start = performance.now()
  duoChatGlobalState.isShown = true
  // The first frame that has the messages (all the work runs in microtasks, so normally the
  // very next one), and the first task after its paint.
  let shownFirst = 0
  const painted = await new Promise<number>((resolve) => {
    const check = (): void => {
      nativeFrame(() => {
        if (expected && messageCount() === 0) return check()
        shownFirst = messageCount()
        const channel = new MessageChannel()
        channel.port1.onmessage = () => resolve(performance.now())
        channel.port2.postMessage(0)
      })
    }
    check()
  })
  const log = document.querySelector('#drawer .duo-chat-log')!
  const last = [...document.querySelectorAll('#drawer .duo-chat-message')].at(-1)
  let lastVisible = true
  if (last) {
    const logBox = log.getBoundingClientRect()
    const lastBox = last.getBoundingClientRect()
    lastVisible = lastBox.bottom > logBox.top && lastBox.top < logBox.bottom
  }
  while (messageCount() < expected) await frame()
  return { ms: painted - start, allMs: performance.now() - start, lastVisible, shownFirst }
}

/** Chunk boundaries of `text` in pieces of `size`. */
function chunksOf(text: string, size: number): string[] {
  const chunks: string[] = []
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size))
  return chunks
}

interface Stream {
  chunks: string[]
  clientSubscriptionId: string
  requestId: string
  scheduled: number[]
  arrived: number[]
  latencies: number[]
  arrivalLatencies: number[]
  rendered: number
  delivered: number
  observer: MutationObserver
  done: Promise<unknown>
}
let current: Stream | null = null

/** Asks a question and gets ready to stream `text` in chunks of `size` through the fake transport. */
async function startStream(text: string, size: number): Promise<number> {
  const done = store!.sendQuestion('Explain the checkout flow, step by step')
  while (!fake!.sent.length) await frame()
  await frame()
  const clientSubscriptionId = fake!.lastClientSubscriptionId
  const content = document.querySelector('#drawer .duo-chat-log__content')!
  const stream: Stream = {
    chunks: chunksOf(text, size),
    clientSubscriptionId,
    requestId: store!.messages.at(-1)!.requestId!,
    scheduled: [],
    arrived: [],
    latencies: [],
    arrivalLatencies: [],
    rendered: 0,
    delivered: 0,
    observer: new MutationObserver(() => {
      // Runs right after the DOM update that showed every chunk delivered so far.
      const now = performance.now()
      for (; stream.rendered < stream.delivered; stream.rendered++) {
        stream.latencies.push(now - stream.scheduled[stream.rendered]!)
        stream.arrivalLatencies.push(now - stream.arrived[stream.rendered]!)
      }
    }),
    done,
  }
  stream.observer.observe(content, { childList: true, subtree: true, characterData: true })
  work.layoutTarget = document.querySelector<HTMLElement>('#drawer .duo-chat-log')
  current = stream
  await afterPaint()
  return stream.chunks.length
}

/**
 * Delivers chunks [from, to) at `perSecond`, each in its own task when it is due, the way
 * WebSocket messages arrive (one timer per chunk, all set up front: a chain of timers would be
 * clamped and drift). Resolves after the last one painted.
 */
async function streamChunks(from: number, to: number, perSecond: number): Promise<void> {
  const stream = current!
  const interval = 1000 / perSecond
  const start = performance.now() + 1
  await new Promise<void>((resolve) => {
    const deliver = (i: number): void => {
      const began = performance.now()
      // Timers may fire up to a millisecond early (whole-millisecond delays): never before arrival.
      stream.scheduled[i] = Math.min(start + (i - from) * interval, began)
      stream.arrived[i] = began
      stream.delivered = i + 1
      fake!.toRequest(stream.clientSubscriptionId, { requestId: stream.requestId, chunkId: i + 1, content: stream.chunks[i]! })
      // Runs after Vue's flush of this task (queued before it): times store + Vue + renderer.update.
      void Promise.resolve().then(() => {
        if (work.on) work.ms += performance.now() - began
        if (work.on) work.parts.deliver += performance.now() - began
      })
      if (i === to - 1) resolve()
    }
    for (let i = from; i < to; i++) setTimeout(() => deliver(i), Math.max(0, start + (i - from) * interval - performance.now()))
  })
  await afterPaint()
  await afterPaint()
}

/** Where the drawer's work went since the last call: delivery, frame callbacks, forced layout, scroll-follow. */
function workBreakdown(): Record<string, number> {
  const parts = { ...work.parts }
  for (const key of Object.keys(work.parts) as Array<keyof typeof work.parts>) work.parts[key] = 0
  return parts
}

/** Starts or stops timing the drawer's work; returns the time counted since the last call. */
function timeWork(on: boolean): number {
  const ms = work.ms
  work.on = on
  work.ms = 0
  return ms
}

/** The complete message ends the stream. */
async function finishStream(): Promise<{ latencies: number[]; arrivalLatencies: number[]; status: string | null; text: string }> {
  const stream = current!
  const began = performance.now()
  fake!.broadcast({ role: 'ASSISTANT', requestId: stream.requestId, content: stream.chunks.join(''), chunkId: null, threadId: 'gid://gitlab/Ai::Conversation::Thread/1' })
  await stream.done
  if (work.on) work.ms += performance.now() - began
  await afterPaint()
  stream.observer.disconnect()
  const article = [...document.querySelectorAll('#drawer .duo-chat-message')].at(-1)!
  return { latencies: stream.latencies, arrivalLatencies: stream.arrivalLatencies, status: article.getAttribute('data-status'), text: article.querySelector('.duo-chat-message__markdown')?.textContent ?? '' }
}

/** marked + DOMPurify + innerHTML of the final text once, with the layout it forces. */
function renderOnce(text: string): number {
  const body = stage()
  const start = performance.now()
  body.innerHTML = renderMarkdown(text)
  void body.offsetHeight
  return performance.now() - start
}

async function floor(text: string): Promise<number> {
  const ms = renderOnce(text)
  await afterPaint()
  return ms
}

let naiveBody: HTMLElement | null = null
/** What GitLab and most peers do: re-render the whole answer on every chunk, forcing layout. */
function naive(text: string, size: number, from: number, to: number): number[] {
  if (from === 0) naiveBody = stage()
  const times: number[] = []
  for (let i = from; i < to; i++) {
    const start = performance.now()
    naiveBody!.innerHTML = renderMarkdown(text.slice(0, Math.min(text.length, (i + 1) * size)))
    void naiveBody!.offsetHeight
    times.push(performance.now() - start)
  }
  return times
}

let simpleState: { body: HTMLElement; tail: HTMLElement; done: number } | null = null
/** The simplest incremental scheme: re-lex only the tail, append blocks that are followed by another. */
function simpleIncremental(text: string, size: number, from: number, to: number, every: number): number[] {
  if (from === 0) {
    const body = stage()
    const tail = document.createElement('div')
    body.append(tail)
    simpleState = { body, tail, done: 0 }
  }
  const state = simpleState!
  const times: number[] = []
  for (let i = from; i < to; i++) {
    if ((i + 1) % every && i + 1 < to) continue
    const start = performance.now()
    const tokens = marked.lexer(text.slice(state.done, Math.min(text.length, (i + 1) * size)))
    while (tokens.length > 1) {
      const token = tokens.shift()!
      state.done += token.raw.length
      const block = document.createElement('div')
      block.innerHTML = renderMarkdown(token.raw)
      state.body.insertBefore(block, state.tail)
    }
    state.tail.innerHTML = tokens.length ? renderMarkdown(tokens[0]!.raw) : ''
    void state.body.offsetHeight
    times.push(performance.now() - start)
  }
  return times
}

/**
 * What any renderer that shows a stream at 60 fps pays this browser, with no markdown at all: a
 * word appended per frame to bare paragraphs (a new one every 20 words), each frame's layout
 * forced, over `frames` frames.
 */
async function frameFloor(frames: number): Promise<number> {
  const body = stage()
  let text: Text | null = null
  let total = 0
  for (let i = 0; i < frames; i++) {
    await frame()
    const start = performance.now()
    if (i % 20 === 0) {
      const paragraph = document.createElement('p')
      text = document.createTextNode('Word')
      paragraph.append(text)
      body.append(paragraph)
    } else text!.appendData(' word')
    void body.offsetHeight
    total += performance.now() - start
  }
  return total
}

/**
 * The reference: the cheapest 60 fps stream of the same chunks at the same rate. Chunks
 * are buffered as they arrive (one timer per chunk, as for the drawer) and flushed once per
 * animation frame as plain text: a new paragraph at each blank line, the view kept at the
 * bottom. No markdown, no sanitizer, no framework. Shaped like the drawer's log (400 px wide,
 * full height, the drawer's font). Resolves after the last chunk painted.
 */
async function referenceStream(text: string, size: number, perSecond: number): Promise<number[]> {
  const host = document.getElementById('stage-host')!
  host.replaceChildren()
  host.className = ''
  const box = document.createElement('div')
  box.style.cssText = 'position:fixed;inset-block:0;inset-inline-end:0;width:400px;overflow-y:auto;padding:12px;box-sizing:border-box;font:14px/1.5 system-ui,sans-serif;overflow-wrap:anywhere'
  host.append(box)
  let node: Text | null = null
  let buffer = ''
  let carry = ''
  let pending = false
  const paragraph = (): void => {
    const p = document.createElement('p')
    node = document.createTextNode('')
    p.append(node)
    box.append(p)
  }
  const flush = (): void => {
    pending = false
    let added = carry + buffer
    buffer = ''
    // A new line at the end may be the first half of a blank line: it waits for the next frame.
    carry = /\n+$/.exec(added)?.[0] ?? ''
    added = added.slice(0, added.length - carry.length)
    const parts = added.split(/\n[ \t]*\n+/)
    if (!node) paragraph()
    node!.appendData(parts[0]!)
    for (const part of parts.slice(1)) {
      paragraph()
      node!.appendData(part)
    }
    box.scrollTop = box.scrollHeight
  }
  const chunks = chunksOf(text, size)
  // The same latency probe as the drawer's (and the same cost): when the DOM shows each chunk.
  const arrived: number[] = []
  const latencies: number[] = []
  const observer = new MutationObserver(() => {
    const now = performance.now()
    for (let i = latencies.length; i < arrived.length; i++) latencies.push(now - arrived[i]!)
  })
  observer.observe(box, { childList: true, subtree: true, characterData: true })
  const interval = 1000 / perSecond
  const start = performance.now() + 1
  await new Promise<void>((resolve) => {
    for (let i = 0; i < chunks.length; i++) {
      setTimeout(() => {
        arrived.push(performance.now())
        buffer += chunks[i]!
        if (!pending) {
          pending = true
          nativeFrame(flush)
        }
        if (i === chunks.length - 1) resolve()
      }, Math.max(0, start + i * interval - performance.now()))
    }
  })
  await afterPaint()
  await afterPaint()
  observer.disconnect()
  return latencies
}

async function frameInterval(): Promise<number> {
  const first = await frame()
  let last = first
  for (let i = 0; i < 60; i++) last = await frame()
  return (last - first) / 60
}

function longTasksSince(since: number): Array<{ start: number; duration: number }> {
  return longTasks.filter((t) => t.start >= since)
}

Object.assign(window, {
  bench: { referenceStream, workBreakdown, frameFloor, mountDrawer, openDrawer, startStream, streamChunks, finishStream, timeWork, floor, naive, simpleIncremental, frameInterval, longTasksSince, clearStage },
})
document.title = 'ready'

import { StreamingMarkdown } from '../../src/render/streamingMarkdown'
/**
 * The renderer alone: update per chunk, a flush every `every` chunks, each forcing layout. With
 * `framed`, each flush waits for an animation frame first, as in a live stream: the browser
 * paints in between, and the work then meets cold caches.
 */
async function rendererAlone(text: string, size: number, every: number, framed = false, tailFromTokens = true): Promise<{ total: number; flushes: number; max: number; layout: number }> {
  const body = stage()
  const view = new StreamingMarkdown(body, { schedule: () => () => {}, tailFromTokens })
  let total = 0
  let max = 0
  let flushes = 0
  let layout = 0
  const n = Math.ceil(text.length / size)
  for (let i = 0; i < n; i++) {
    view.update(text.slice(0, (i + 1) * size))
    if ((i + 1) % every === 0) {
      if (framed) await frame()
      const start = performance.now()
      view.flush()
      const mid = performance.now()
      void body.offsetHeight
      const ms = performance.now() - start
      layout += performance.now() - mid
      total += ms
      max = Math.max(max, ms)
      flushes++
    }
  }
  const start = performance.now()
  view.finish(text)
  void body.offsetHeight
  total += performance.now() - start
  return { total, flushes, max, layout }
}
Object.assign((window as unknown as { bench: object }).bench, { rendererAlone })
