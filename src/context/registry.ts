import { shallowReactive } from 'vue'
import { CATEGORY_LABELS } from '../state/contexts'
import type { AiAdditionalContextCategory } from '../transport/types'
import type { ContextProvider, ContextProviderDefinition } from './types'

/** Default of `timeoutMs`: a provider that takes longer is skipped. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 2000

const NAME = /^[A-Za-z0-9_.:-]{1,100}$/

/** The page's providers in the order they were registered; reactive, so "Context sources" follows. */
const providers = shallowReactive(new Map<string, ContextProvider>())

/**
 * Registers a source of context the drawer consults: a `proactive` one for every question, a
 * `reactive` one only when the engine asks for it. Returns the function that unregisters it.
 * Throws a TypeError naming the fix for a bad definition or a name already taken.
 */
export function registerContextProvider(definition: ContextProviderDefinition): () => void {
  const provider = checkDefinition(definition)
  if (providers.has(provider.name)) {
    throw new TypeError(`[duo-chat-drawer]: a context provider named "${provider.name}" is already registered. Unregister it first (call the function registerContextProvider returned), or pick another name.`)
  }
  providers.set(provider.name, provider)
  return () => {
    if (providers.get(provider.name) === provider) providers.delete(provider.name)
  }
}

/** The registered providers, in registration order. */
export function contextProviders(): ContextProvider[] {
  return [...providers.values()]
}

export function findContextProvider(name: string): ContextProvider | undefined {
  return providers.get(name)
}

function checkDefinition(definition: unknown): ContextProvider {
  const fail = (problem: string) => new TypeError(`[duo-chat-drawer]: registerContextProvider() ${problem}`)
  if (typeof definition !== 'object' || definition === null) throw fail('takes { name, title, category, mode, provide, timeoutMs? }.')
  const d = definition as Record<string, unknown>
  if (typeof d.name !== 'string' || !NAME.test(d.name)) {
    throw fail(`needs a "name" of 1 to 100 letters, digits, "_", "-", "." or ":", e.g. "selection"; got ${JSON.stringify(d.name)}.`)
  }
  if (typeof d.title !== 'string' || !d.title.trim()) throw fail(`needs a "title" the user will see, e.g. "Selected text" (provider "${d.name}").`)
  if (typeof d.category !== 'string' || !Object.hasOwn(CATEGORY_LABELS, d.category)) {
    throw fail(`needs a "category", one of ${Object.keys(CATEGORY_LABELS).join(', ')}; got ${JSON.stringify(d.category)} (provider "${d.name}").`)
  }
  if (d.mode !== 'proactive' && d.mode !== 'reactive') throw fail(`needs a "mode", 'proactive' or 'reactive'; got ${JSON.stringify(d.mode)} (provider "${d.name}").`)
  if (typeof d.provide !== 'function') throw fail(`needs a "provide" function (provider "${d.name}").`)
  const timeoutMs = d.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw fail(`takes a "timeoutMs" above 0, in milliseconds; got ${JSON.stringify(d.timeoutMs)} (provider "${d.name}").`)
  }
  return {
    name: d.name,
    title: d.title.trim(),
    category: d.category as AiAdditionalContextCategory,
    mode: d.mode,
    provide: d.provide as ContextProvider['provide'],
    timeoutMs,
  }
}
