import type { ContextItem } from '../state/contexts'
import type { AiAdditionalContextCategory } from '../transport/types'

/** Proactive providers run for every question; reactive ones only when the engine asks for them. */
export type ContextProviderMode = 'proactive' | 'reactive'

/** What a provider is called with. */
export interface ContextProviderRequest {
  /** The question being asked, as sent. */
  question: string
  /** Why the provider runs: `question` for a proactive one; the engine's stated reason for a reactive one. */
  reason: string
  /** Aborts when the provider runs out of time or the user stops the question. */
  signal: AbortSignal
}

/** A host's source of context, registered with {@link registerContextProvider}. */
export interface ContextProviderDefinition {
  /** Unique, stable name, sent to the gateway (e.g. `selection`); letters, digits, `_`, `-`, `.` and `:`. */
  name: string
  /** What the user sees in "Context sources" and "Context used". */
  title: string
  /** Category of the items it gives (GitLab's `AiAdditionalContextCategory`). */
  category: AiAdditionalContextCategory
  mode: ContextProviderMode
  /** Gives the context, or null for none this time. A throw or a timeout skips the provider, never the question. */
  provide(request: ContextProviderRequest): Promise<ContextItem | ContextItem[] | null> | ContextItem | ContextItem[] | null
  /** How long `provide` may take before it is skipped, in milliseconds. @default 2000 */
  timeoutMs?: number
}

/** A registered provider, as the drawer keeps it (a copy: later changes to the host's object change nothing). */
export interface ContextProvider extends Required<Omit<ContextProviderDefinition, 'provide'>> {
  provide: ContextProviderDefinition['provide']
}

/** One line of "Context sources": a provider of the gateway's or of the page's. */
export interface ContextSource {
  name: string
  title: string
  mode: ContextProviderMode
  /** `gateway` for the gateway's own retrievers, `host` for providers the page registered. */
  origin: 'gateway' | 'host'
  description?: string | null
}

/** Why a provider gave nothing: it threw, or it took too long. */
export interface ContextProviderNote {
  provider: string
  title: string
  reason: 'error' | 'timeout'
}
