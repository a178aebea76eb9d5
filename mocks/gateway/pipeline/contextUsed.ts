/** `extras.contextUsed` entries for what the client sent and for the thread's history. */
import type { AdditionalContextItem, CurrentFile } from '../reactFormat'
import { HISTORY_PROVIDER } from './providerNames'
import type { ContextOrigin, ContextUsed } from './transparency'

/** The provider a context item came from (`metadata.contextProvider`), or null for the user's own attachment. */
export function providerOfItem(item: Pick<AdditionalContextItem, 'metadata'>): string | null {
  const metadata = item.metadata
  if (typeof metadata !== 'object' || metadata === null) return null
  const provider = (metadata as { contextProvider?: unknown }).contextProvider
  return typeof provider === 'string' && provider ? provider : null
}

/** Describes items the client sent: attached by the user, or given by a proactive or reactive provider. */
export function describeItems(items: readonly AdditionalContextItem[], providerOrigin: Exclude<ContextOrigin, 'ATTACHED' | 'RETRIEVER' | 'HISTORY'>): ContextUsed[] {
  return items.map((item) => {
    const provider = providerOfItem(item)
    const metadata = (typeof item.metadata === 'object' && item.metadata !== null ? item.metadata : {}) as Record<string, unknown>
    const text = (key: string) => (typeof metadata[key] === 'string' && metadata[key] ? (metadata[key] as string) : null)
    return {
      origin: provider ? providerOrigin : 'ATTACHED',
      provider,
      contextType: text('contextType') ?? item.category,
      id: item.id,
      title: text('title') ?? item.id,
      webUrl: text('webUrl'),
      turns: null,
    }
  })
}

/** The editor's file, when the client sent one. */
export function describeCurrentFile(file: CurrentFile | null): ContextUsed[] {
  return file ? [{ origin: 'ATTACHED', provider: null, contextType: 'FILE', id: file.fileName, title: file.fileName, webUrl: null, turns: null }] : []
}

/** The earlier turns, counted. */
export function describeHistory(turns: number): ContextUsed[] {
  return turns > 0 ? [{ origin: 'HISTORY', provider: HISTORY_PROVIDER, contextType: 'chatHistory', id: null, title: 'Conversation history', webUrl: null, turns }] : []
}
