import { computed, ref, shallowRef } from 'vue'
import { ExclusionStorage } from '../context/exclusions'
import { contextProviders } from '../context/registry'
import { runProviders, type ProvidersResult } from '../context/runProviders'
import type { ContextProvider, ContextSource } from '../context/types'
import type { DuoChatApi } from '../transport/chatApi'
import type { ContextProviderLists } from '../transport/duoChatV2'
import { toAdditionalContext } from '../transport/additionalContext'
import { toDuoChatError, type DuoChatError } from '../transport/errors'
import type { AiMessage } from '../transport/types'
import type { ChatMessage } from './types'

/**
 * The store's side of context providers: "Context sources" (the gateway's providers and the
 * page's, with the user's exclusions remembered per user), the proactive run before a question,
 * and the answer to the engine's requests for more. Call it inside the store's setup.
 */
export function useContextProviders(api: Pick<DuoChatApi, 'loadContextProviders' | 'provideContext'>, userId: string) {
  const storage = new ExclusionStorage(userId)
  /** Names of the providers the user turned off. */
  const excludedProviders = ref<string[]>(storage.recall())
  const gatewaySources = shallowRef<ContextSource[]>([])
  const sourcesStatus = ref<'idle' | 'loading' | 'loaded' | 'error'>('idle')
  const sourcesError = shallowRef<DuoChatError | null>(null)

  /** Every provider the user can turn off: the gateway's, then the page's. */
  const contextSources = computed<ContextSource[]>(() => [
    ...gatewaySources.value,
    ...contextProviders().map((p) => ({ name: p.name, title: p.title, mode: p.mode, origin: 'host' as const })),
  ])

  /** Loads the gateway's providers for "Context sources" (a gateway without them has none). */
  async function loadContextSources(): Promise<void> {
    if (!api.loadContextProviders) {
      sourcesStatus.value = 'loaded'
      return
    }
    sourcesStatus.value = 'loading'
    try {
      gatewaySources.value = (await api.loadContextProviders()).map((p) => ({ ...p, origin: 'gateway' as const }))
      sourcesError.value = null
      sourcesStatus.value = 'loaded'
    } catch (e) {
      sourcesError.value = toDuoChatError(e)
      sourcesStatus.value = 'error'
    }
  }

  /** Turns a provider on or off for this user's questions, from now on and after a reload. */
  function setProviderExcluded(name: string, excluded: boolean): void {
    const names = new Set(excludedProviders.value)
    if (excluded) names.add(name)
    else names.delete(name)
    excludedProviders.value = [...names]
    storage.remember(names)
  }

  function isExcluded(name: string): boolean {
    return excludedProviders.value.includes(name)
  }

  /** The page's providers of a mode the user has not turned off. */
  function usable(mode: ContextProvider['mode']): ContextProvider[] {
    return contextProviders().filter((p) => p.mode === mode && !isExcluded(p.name))
  }

  /** The provider lists a question carries. */
  function providerLists(): Required<ContextProviderLists> {
    return {
      proactiveContextProviders: usable('proactive').map((p) => p.name),
      reactiveContextProviders: usable('reactive').map((p) => p.name),
      excludedContextProviders: [...excludedProviders.value],
    }
  }

  /** Runs the proactive providers for a question; `signal` aborts them (Stop). */
  function gatherProactive(question: string, signal: AbortSignal): Promise<ProvidersResult> {
    return runProviders(usable('proactive'), { question, reason: 'question' }, signal)
  }

  /**
   * Answers the engine's REQUEST_CONTEXT (a message on the request's own subscription; returns
   * false for any other): runs the reactive providers it names, each with the engine's reason,
   * and sends their items with `duoChatProvideContext`. An excluded or unknown name is not run;
   * the gateway hears that it gave nothing, and the answer continues either way.
   */
  function answerContextRequest(message: AiMessage, question: ChatMessage, answer: ChatMessage, signal?: AbortSignal): boolean {
    if (message.messageType !== 'REQUEST_CONTEXT') return false
    // The engine's sentence ("GitLab Duo asks for more context: …") shows while the answer waits, as a step does.
    if (message.content && answer.toolSteps.at(-1) !== message.content) answer.toolSteps.push(message.content)
    const { requestId, contextRequestId } = message
    if (!requestId || !contextRequestId || !api.provideContext) {
      console.warn('[duo-chat-drawer]: dropped a context request the drawer cannot answer (no requestId, contextRequestId or provideContext).', message)
      return true
    }
    const provideContext = api.provideContext.bind(api)
    void (async () => {
      const requested = message.requestedContexts ?? []
      const runs = await Promise.all(
        requested.map(({ provider, reason }) => runProviders(usable('reactive').filter((p) => p.name === provider), { question: question.content, reason }, signal)),
      )
      if (signal?.aborted) return
      const result: ProvidersResult = { items: runs.flatMap((r) => r.items), notes: runs.flatMap((r) => r.notes) }
      const given = new Set(result.items.map((item) => item.metadata?.contextProvider))
      question.contexts = [...question.contexts, ...result.items]
      if (result.notes.length) question.contextNotes = [...(question.contextNotes ?? []), ...result.notes]
      await provideContext({
        requestId,
        contextRequestId,
        providedContexts: toAdditionalContext(result.items),
        skippedProviders: requested.map((r) => r.provider).filter((name) => !given.has(name)),
      })
    })().catch((e: unknown) => console.warn('[duo-chat-drawer]: the context GitLab Duo asked for was not delivered; the answer goes on without it.', e))
    return true
  }

  return {
    contextSources,
    sourcesStatus,
    sourcesError,
    excludedProviders,
    loadContextSources,
    setProviderExcluded,
    providerLists,
    gatherProactive,
    answerContextRequest,
  }
}
