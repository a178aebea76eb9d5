import type { AiAdditionalContextCategory } from '../transport/types'

/**
 * A piece of context the model will see, shown to the user as a chip. The one shape for
 * `duoChatGlobalState.contexts`, `sendDuoChatCommand({ contexts })` and `/include`.
 */
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

/** A short label for a category, for icons and screen readers. */
export const CATEGORY_LABELS: Record<AiAdditionalContextCategory, string> = {
  DEPENDENCY: 'Dependency',
  FILE: 'File',
  ISSUE: 'Issue',
  LOCAL_GIT: 'Local Git',
  MERGE_REQUEST: 'Merge request',
  SNIPPET: 'Snippet',
  TERMINAL: 'Terminal',
  IMAGE: 'Image',
}

const GID = /^gid:\/\/gitlab\/([A-Za-z:]+)\/(\d+)$/
const CATEGORY_OF_TYPE: Record<string, AiAdditionalContextCategory> = { Issue: 'ISSUE', MergeRequest: 'MERGE_REQUEST', Epic: 'ISSUE' }
const NAME_OF_TYPE: Record<string, string> = { Issue: 'Issue', MergeRequest: 'Merge request', Epic: 'Epic', Snippet: 'Snippet' }

/** English name of a resource the host gave no title: type "MergeRequest", id "1" → "Merge request 1". */
export function defaultResourceName(type: string, id: string): string {
  return `${NAME_OF_TYPE[type] ?? type} ${id}`
}

let resourceName = defaultResourceName

/**
 * Sets how untitled resource chips are named. The plugin passes `labels.resourceName`: chips are
 * made outside any component (a queued command's too), where no labels can be injected.
 */
export function configureResourceNames(name: (type: string, id: string) => string): void {
  resourceName = name
}

/** The chip for the page's resource: `gid://gitlab/Issue/1` → "Issue 1", unless the host gave a title. */
export function resourceChip(resourceId: string, title?: string | null): ContextItem {
  const match = GID.exec(resourceId)
  const type = match?.[1] ?? ''
  return {
    id: `${RESOURCE_CHIP_PREFIX}${resourceId}`,
    category: CATEGORY_OF_TYPE[type] ?? 'ISSUE',
    title: title ?? (match ? resourceName(type, match[2]!) : resourceId),
    metadata: { resourceId },
  }
}

export function isResourceChip(item: Pick<ContextItem, 'id'>): boolean {
  return item.id.startsWith(RESOURCE_CHIP_PREFIX)
}

/** The resource a resource chip stands for. */
export function resourceOfChip(item: Pick<ContextItem, 'id'>): string {
  return item.id.slice(RESOURCE_CHIP_PREFIX.length)
}

/** The items a question may carry as context: the resource goes as `resourceId`, disabled ones not at all. */
export function sendableContexts(items: readonly ContextItem[]): ContextItem[] {
  return items.filter((item) => !item.disabledReason && !isResourceChip(item))
}

/**
 * The chips of a host command, on its queued entry and on its question: its resource, then its
 * context. The resource chip is left out when a context item already stands for the resource.
 */
export function commandChips(resourceId: string, contexts: readonly ContextItem[], resourceTitle?: string | null): ContextItem[] {
  const resource = contexts.some((item) => item.id === resourceId) ? [] : [resourceChip(resourceId, resourceTitle)]
  return [...resource, ...contexts]
}

/**
 * Checks the `contexts` a host passes and copies each item, so that later changes to the host's
 * objects change nothing queued. An item without a title is named by `metadata.title`, then by its id.
 */
export function normalizeContexts(contexts: unknown, argument: string): ContextItem[] {
  if (contexts === undefined || contexts === null) return []
  if (!Array.isArray(contexts)) throw new TypeError(`[duo-chat-drawer]: ${argument} must be a list of { id, category, title, content? }.`)
  return contexts.map((value: unknown, index) => {
    const where = `${argument}[${index}]`
    if (typeof value !== 'object' || value === null) throw new TypeError(`[duo-chat-drawer]: ${where} must be an object: { id, category, title, content? }.`)
    const item = value as Record<string, unknown>
    if (typeof item.id !== 'string' || !item.id) throw new TypeError(`[duo-chat-drawer]: ${where} needs an "id", e.g. "gid://gitlab/Issue/1".`)
    if (typeof item.category !== 'string' || !Object.hasOwn(CATEGORY_LABELS, item.category)) {
      throw new TypeError(`[duo-chat-drawer]: ${where} needs a "category", one of ${Object.keys(CATEGORY_LABELS).join(', ')}; got ${JSON.stringify(item.category)}.`)
    }
    if (item.title !== undefined && typeof item.title !== 'string') throw new TypeError(`[duo-chat-drawer]: ${where}.title must be a string.`)
    if (item.content !== undefined && item.content !== null && typeof item.content !== 'string') throw new TypeError(`[duo-chat-drawer]: ${where}.content must be a string.`)
    if (item.metadata !== undefined && item.metadata !== null && (typeof item.metadata !== 'object' || Array.isArray(item.metadata))) {
      throw new TypeError(`[duo-chat-drawer]: ${where}.metadata must be an object.`)
    }
    const metadata = (item.metadata ?? undefined) as Record<string, unknown> | undefined
    const title = item.title || (typeof metadata?.title === 'string' && metadata.title) || item.id
    const normalized: ContextItem = { id: item.id, category: item.category as AiAdditionalContextCategory, title }
    if (typeof item.content === 'string') normalized.content = item.content
    if (metadata) normalized.metadata = { ...metadata }
    if (typeof item.disabledReason === 'string' && item.disabledReason) normalized.disabledReason = item.disabledReason
    return normalized
  })
}
