// The demo's live dashboard: the gateway's Prometheus metrics, scraped every second and plotted
// with uPlot, beside the drawer's own events (the `duo-chat-event` DOM events of the element).
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { DuoChatEvent } from '../src/index'

const SCRAPE_MS = 1000
const WINDOW = 120

const drawer = document.querySelector('duo-chat-drawer')
const metricsUrl = new URL('/metrics', drawer?.getAttribute('graphql-url') ?? 'http://127.0.0.1:4000/graphql').href
const status = document.getElementById('scrape-status')

/** Samples of one scrape: `name{label="value",...}` → value (series in the exposition's own spelling). */
type Samples = Map<string, number>

function readSamples(text: string): Samples {
  const samples: Samples = new Map()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const space = line.lastIndexOf(' ')
    const value = Number(line.slice(space + 1))
    if (Number.isFinite(value) || line.endsWith('+Inf')) samples.set(line.slice(0, space), value)
  }
  return samples
}

/** The sum of every series of `name` whose labels include all of `labels`. */
function total(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  let sum = 0
  for (const [series, value] of samples) {
    if (series !== name && !series.startsWith(`${name}{`)) continue
    if (Object.entries(labels).every(([key, wanted]) => series.includes(`${key}="${wanted}"`))) sum += value
  }
  return sum
}

/** A quantile of the observations between two scrapes of a histogram, from its bucket counts. */
function quantile(now: Samples, before: Samples | null, name: string, q: number): number | null {
  const buckets: [number, number][] = []
  for (const [series, value] of now) {
    if (!series.startsWith(`${name}_bucket{`)) continue
    const le = /le="([^"]+)"/.exec(series)?.[1]
    if (!le) continue
    const bound = le === '+Inf' ? Infinity : Number(le)
    const previous = before?.get(series) ?? 0
    const at = buckets.findIndex(([existing]) => existing === bound)
    if (at >= 0) buckets[at]![1] += value - previous
    else buckets.push([bound, value - previous])
  }
  buckets.sort((left, right) => left[0] - right[0])
  const count = buckets.at(-1)?.[1] ?? 0
  if (count <= 0) return null
  const bucket = buckets.find(([, cumulative]) => cumulative >= q * count)
  // The bucket's upper bound: Prometheus' histogram_quantile interpolates; an upper bound is honest enough here.
  return bucket && Number.isFinite(bucket[0]) ? bucket[0] : (buckets.at(-2)?.[0] ?? null)
}

function chart(id: string, series: { label: string; stroke: string }[], yLabel: string): uPlot {
  const target = document.getElementById(id)!
  return new uPlot(
    {
      width: 400,
      height: 200,
      series: [{}, ...series.map((line) => ({ ...line, width: 2, spanGaps: false }))],
      axes: [{}, { label: yLabel }],
      scales: { x: { time: true } },
    },
    [[], ...series.map(() => [])],
    target,
  )
}

const OUTCOMES = ['answered', 'error', 'refused', 'cancelled'] as const
const requestsChart = chart(
  'chart-requests',
  OUTCOMES.map((outcome, index) => ({ label: outcome, stroke: ['#108548', '#dd2b0e', '#ab6100', '#626168'][index]! })),
  'req/s',
)
const firstTokenChart = chart('chart-first-token', [{ label: 'p50', stroke: '#1f75cb' }, { label: 'p95', stroke: '#7759c2' }], 's')
const saturationChart = chart('chart-saturation', [{ label: 'subscriptions', stroke: '#1f75cb' }, { label: 'open circuits', stroke: '#dd2b0e' }], 'count')

const times: number[] = []
const requestRates: (number | null)[][] = OUTCOMES.map(() => [])
const firstToken: (number | null)[][] = [[], []]
const saturation: number[][] = [[], []]
let previous: { at: number; samples: Samples } | null = null

function push<T>(list: T[], value: T): void {
  list.push(value)
  if (list.length > WINDOW) list.shift()
}

async function scrape(): Promise<void> {
  try {
    const response = await fetch(metricsUrl)
    const samples = readSamples(await response.text())
    const at = Date.now() / 1000
    push(times, at)
    const seconds = previous ? Math.max(0.001, at - previous.at) : null
    OUTCOMES.forEach((outcome, index) => {
      const rate = previous && seconds
        ? (total(samples, 'duo_chat_requests_total', { outcome }) - total(previous.samples, 'duo_chat_requests_total', { outcome })) / seconds
        : null
      push(requestRates[index]!, rate)
    })
    push(firstToken[0]!, quantile(samples, previous?.samples ?? null, 'duo_chat_first_token_seconds', 0.5))
    push(firstToken[1]!, quantile(samples, previous?.samples ?? null, 'duo_chat_first_token_seconds', 0.95))
    push(saturation[0]!, total(samples, 'duo_chat_active_subscriptions'))
    push(saturation[1]!, total(samples, 'duo_chat_circuit_open'))
    previous = { at, samples }
    requestsChart.setData([times, ...requestRates] as uPlot.AlignedData)
    firstTokenChart.setData([times, ...firstToken] as uPlot.AlignedData)
    saturationChart.setData([times, ...saturation] as uPlot.AlignedData)
    if (status) status.textContent = `Scraped ${metricsUrl} at ${new Date().toLocaleTimeString()}.`
  } catch (error) {
    if (status) status.textContent = `Could not scrape ${metricsUrl}: ${error instanceof Error ? error.message : String(error)}`
  }
}

setInterval(() => void scrape(), SCRAPE_MS)
void scrape()

// The drawer's events, newest first: what a host's analytics would receive.
const eventList = document.getElementById('events')
drawer?.addEventListener('duo-chat-event', (event) => {
  const detail = (event as CustomEvent<DuoChatEvent>).detail
  const item = document.createElement('li')
  const { type, at: _at, ...fields } = detail
  item.textContent = `${new Date(detail.at).toLocaleTimeString()} ${type} ${JSON.stringify(fields)}`
  eventList?.prepend(item)
  while (eventList && eventList.children.length > 40) eventList.lastElementChild?.remove()
})

const QUESTIONS: [string, string][] = [
  ['Summarize this issue', 'gid://gitlab/Issue/1'],
  ['/summarize_comments', 'gid://gitlab/Issue/1'],
  ['Summarize this merge request', 'gid://gitlab/MergeRequest/1'],
  ['What is this epic about?', 'gid://gitlab/Epic/1'],
  ['Summarize this issue', 'gid://gitlab/Issue/99'],
]
document.getElementById('ask-burst')?.addEventListener('click', () => {
  const DuoChat = window.DuoChat
  if (!DuoChat) return
  for (const [question, resourceId] of QUESTIONS) {
    DuoChat.sendDuoChatCommand({ question, resourceId }).catch(() => {
      // A refused or failed command shows in the drawer and in the charts; nothing more to do here.
    })
  }
})
if (window.DuoChat) window.DuoChat.duoChatGlobalState.isShown = true
