import { computed, ref, watch } from 'vue'
import type { DuoChatApi } from '../transport/chatApi'
import { isResourceChip, resourceChip, resourceOfChip, sendableContexts, type ContextItem } from './contexts'
import { duoChatGlobalState } from './globalState'
import { defaultLabels, type DuoChatLabels } from './labels'

/**
 * The context beside the prompt: the page's resource and the host's items
 * (`duoChatGlobalState.contexts`), what the user took off, and what the gateway says may not be
 * sent. Call it inside the store's setup, so its watcher lives as long as the store.
 */
export function useAttachedContext(api: Pick<DuoChatApi, 'contextStatus' | 'searchContext'>, labels: Pick<DuoChatLabels, 'notAvailable'> = defaultLabels) {
  /** The user took the page's resource chip off; it comes back when the page shows another resource. */
  const resourceDetached = ref(false)
  /** Reasons the gateway gave for context the user may not send, by id. */
  const unavailableContext = ref<Record<string, string>>({})

  watch(
    () => duoChatGlobalState.resourceId,
    () => (resourceDetached.value = false),
  )

  /** Every chip beside the prompt: the page's resource, then the host's context, with their availability. */
  const attachedContext = computed<ContextItem[]>(() => {
    const { resourceId, resourceTitle, contexts } = duoChatGlobalState
    const items = resourceId && !resourceDetached.value ? [resourceChip(resourceId, resourceTitle), ...contexts] : [...contexts]
    return items.map((item) => {
      const key = isResourceChip(item) ? resourceOfChip(item) : item.id
      const reason = item.disabledReason ?? unavailableContext.value[key] ?? null
      return reason ? { ...item, disabledReason: reason } : item
    })
  })

  /** Takes a chip off: it is not sent with the next question. */
  function removeContext(id: string): void {
    if (isResourceChip({ id })) {
      resourceDetached.value = true
      return
    }
    const index = duoChatGlobalState.contexts.findIndex((item) => item.id === id)
    if (index >= 0) duoChatGlobalState.contexts.splice(index, 1)
  }

  /** Adds context (from the /include menu); an item already attached is not added twice. */
  function attachContext(item: ContextItem): void {
    if (!duoChatGlobalState.contexts.some((existing) => existing.id === item.id)) duoChatGlobalState.contexts.push(item)
  }

  /** Asks the gateway which attached items the user may not send, so they show as disabled. */
  async function checkContext(): Promise<void> {
    // Only GitLab items have rights to check; files and snippets a host attaches are the user's own.
    const ids = [duoChatGlobalState.resourceId, ...duoChatGlobalState.contexts.map((c) => c.id)].filter(
      (id): id is string => !!id && id.startsWith('gid://'),
    )
    try {
      const statuses = await api.contextStatus(ids)
      unavailableContext.value = Object.fromEntries(statuses.filter((s) => !s.enabled).map((s) => [s.id, s.disabledReason ?? labels.notAvailable]))
    } catch (e) {
      // Availability is advisory: the gateway checks every item again when the question arrives.
      console.warn('[duo-chat-drawer]: could not check the attached context.', e)
    }
  }

  /** The /include menu's search; it lists disabled results with their reason. */
  function searchContext(query: string) {
    return api.searchContext(query)
  }

  /** What a question typed beside the chips carries: the resource unless its chip is off, and the usable items. */
  function forTypedQuestion(): { resourceId: string | null; contexts: ContextItem[] } {
    return {
      resourceId: resourceDetached.value ? null : duoChatGlobalState.resourceId,
      contexts: sendableContexts(attachedContext.value),
    }
  }

  return { attachedContext, resourceDetached, unavailableContext, removeContext, attachContext, checkContext, searchContext, forTypedQuestion }
}
