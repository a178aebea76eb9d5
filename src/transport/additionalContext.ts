import type { ContextItem } from '../state/contexts'
import type { AiAdditionalContext } from './types'

/**
 * The aiAction mutation's `additionalContext` for the chips sent with a question. GitLab's input
 * has no title, so it rides in `metadata`: a message loaded back from history can still name its chips.
 */
export function toAdditionalContext(items: readonly ContextItem[]): AiAdditionalContext[] {
  return items.map((item) => ({
    id: item.id,
    category: item.category,
    content: item.content ?? '',
    metadata: { ...item.metadata, title: item.title },
  }))
}

/** The chips of the context a message carried (`extras.additionalContext`), as the drawer shows them. */
export function fromAdditionalContext(contexts: readonly AiAdditionalContext[] | null | undefined): ContextItem[] {
  return (contexts ?? []).map((context) => {
    const title = context.metadata?.title
    return {
      id: context.id,
      category: context.category,
      title: typeof title === 'string' && title ? title : context.id,
      content: context.content,
      ...(context.metadata ? { metadata: context.metadata } : {}),
    }
  })
}
