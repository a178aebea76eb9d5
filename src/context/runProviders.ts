import { normalizeContexts, type ContextItem } from '../state/contexts'
import type { ContextProvider, ContextProviderNote } from './types'

/** What running some providers gave: their items, tagged by provider, and a note for each one skipped. */
export interface ProvidersResult {
  items: ContextItem[]
  notes: ContextProviderNote[]
}

/** The metadata key that says which provider an item came from. */
export const PROVIDER_METADATA_KEY = 'contextProvider'
/** The metadata key of that provider's title, so that a question loaded from history still says where its items came from. */
export const PROVIDER_TITLE_METADATA_KEY = 'contextProviderTitle'

/** The provider an item came from, if any. */
export function providerOf(item: Pick<ContextItem, 'metadata'>): string | null {
  const name = item.metadata?.[PROVIDER_METADATA_KEY]
  return typeof name === 'string' ? name : null
}

/**
 * Runs providers in parallel, each bounded by its own `timeoutMs`. A provider that throws, returns
 * something that is not context, or runs out of time is skipped with a note; its `signal` aborts
 * then, and when `signal` (the question's) aborts. Never rejects.
 */
export async function runProviders(providers: readonly ContextProvider[], request: { question: string; reason: string }, signal?: AbortSignal): Promise<ProvidersResult> {
  const results = await Promise.all(providers.map((provider) => runProvider(provider, request, signal)))
  return {
    items: results.flatMap((r) => r.items),
    notes: results.flatMap((r) => (r.note ? [r.note] : [])),
  }
}

async function runProvider(
  provider: ContextProvider,
  request: { question: string; reason: string },
  outer: AbortSignal | undefined,
): Promise<{ items: ContextItem[]; note: ContextProviderNote | null }> {
  const controller = new AbortController()
  const abort = () => controller.abort(outer?.reason)
  if (outer?.aborted) return { items: [], note: null }
  outer?.addEventListener('abort', abort, { once: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), provider.timeoutMs)
  })
  const stopped = new Promise<'stopped'>((resolve) => controller.signal.addEventListener('abort', () => resolve('stopped'), { once: true }))
  try {
    const given = Promise.resolve().then(() => provider.provide({ ...request, signal: controller.signal }))
    const outcome = await Promise.race([given, timedOut, stopped])
    if (outcome === 'stopped') return { items: [], note: null }
    if (outcome === 'timeout') {
      controller.abort(new DOMException(`Context provider "${provider.name}" took longer than ${provider.timeoutMs} ms.`, 'TimeoutError'))
      return { items: [], note: note(provider, 'timeout') }
    }
    return { items: tag(provider, outcome), note: null }
  } catch (error) {
    if (controller.signal.aborted) return { items: [], note: null }
    console.warn(`[duo-chat-drawer]: context provider "${provider.name}" failed and was skipped.`, error)
    return { items: [], note: note(provider, 'error') }
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener('abort', abort)
  }
}

/** Checks a provider's items (a bad one fails the provider, with a warning that says why) and tags them. */
function tag(provider: ContextProvider, given: unknown): ContextItem[] {
  if (given === null || given === undefined) return []
  const list = (Array.isArray(given) ? given : [given]).map((item: unknown) =>
    typeof item === 'object' && item !== null && !('category' in item) ? { ...item, category: provider.category } : item,
  )
  return normalizeContexts(list, `context provider "${provider.name}"`)
    .filter((item) => !item.disabledReason)
    .map((item) => ({ ...item, metadata: { ...item.metadata, [PROVIDER_METADATA_KEY]: provider.name, [PROVIDER_TITLE_METADATA_KEY]: provider.title } }))
}

function note(provider: ContextProvider, reason: ContextProviderNote['reason']): ContextProviderNote {
  return { provider: provider.name, title: provider.title, reason }
}
