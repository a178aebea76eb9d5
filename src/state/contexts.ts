import type { AiAdditionalContext, AiAdditionalContextCategory } from '../transport/types'

/** A piece of context the model will see, shown to the user as a chip. */
export interface ContextItem {
  /** Stable id, e.g. the resource's global id `gid://gitlab/Issue/1` or a file path. */
  id: string
  /** GitLab's `AiAdditionalContextCategory`. */
  category: AiAdditionalContextCategory
  /** What the chip says. */
  title: string
  /** The text sent to the model; the gateway reads issues and merge requests itself when absent. */
  content?: string
  metadata?: Record<string, unknown>
  /** Why the item may not be used (AI turned off for its project, no access); such items are never sent. */
  disabledReason?: string | null
}

/** The chip of the page's own resource (`resourceId`). */
export const RESOURCE_CHIP_PREFIX = 'resource:'

const GID = /^gid:\/\/gitlab\/([A-Za-z:]+)\/(\d+)$/
const CATEGORY_OF_TYPE: Record<string, AiAdditionalContextCategory> = { Issue: 'ISSUE', MergeRequest: 'MERGE_REQUEST', Epic: 'ISSUE' }
const NAME_OF_TYPE: Record<string, string> = { Issue: 'Issue', MergeRequest: 'Merge request', Epic: 'Epic', Snippet: 'Snippet' }

/** The chip for the page's resource: `gid://gitlab/Issue/1` → "Issue 1", unless the host gave a title. */
export function resourceChip(resourceId: string, title?: string | null): ContextItem {
  const match = GID.exec(resourceId)
  const type = match?.[1] ?? ''
  return {
    id: `${RESOURCE_CHIP_PREFIX}${resourceId}`,
    category: CATEGORY_OF_TYPE[type] ?? 'ISSUE',
    title: title ?? (match ? `${NAME_OF_TYPE[type] ?? type} ${match[2]}` : resourceId),
    metadata: { resourceId },
  }
}

/** What the mutation carries for the usable items; disabled ones are left out. */
export function toAdditionalContext(items: readonly ContextItem[]): AiAdditionalContext[] {
  return items
    .filter((item) => !item.disabledReason && !item.id.startsWith(RESOURCE_CHIP_PREFIX))
    .map((item) => ({
      id: item.id,
      category: item.category,
      content: item.content ?? '',
      metadata: { ...item.metadata, title: item.title },
    }))
}

/** The title to show for context a message carried (`extras.additionalContext`). */
export function contextTitle(context: AiAdditionalContext): string {
  const title = context.metadata?.title
  return typeof title === 'string' && title ? title : context.id
}

/** A short label for a category, for icons and screen readers. */
export const CATEGORY_LABELS: Record<AiAdditionalContextCategory, string> = {
  DEPENDENCY: 'Dependency',
  FILE: 'File',
  ISSUE: 'Issue',
  LOCAL_GIT: 'Local Git',
  MERGE_REQUEST: 'Merge request',
  SNIPPET: 'Snippet',
  TERMINAL: 'Terminal',
}
