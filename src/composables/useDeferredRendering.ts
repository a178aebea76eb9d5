import { getCurrentScope, inject, onScopeDispose, provide, toValue, type InjectionKey, type MaybeRefOrGetter } from 'vue'

/** Lets a scrolling list render its items' costly parts (markdown) only once they come near view. */
export interface DeferredRendering {
  /** Calls `render` once `element` comes near the visible area; returns a function that cancels. */
  observe: (element: Element, render: () => void) => () => void
}

export const deferredRenderingKey: InjectionKey<DeferredRendering> = Symbol('duoChatDeferredRendering')

export interface UseDeferredRenderingOptions {
  /** The scrolling element whose visible area counts. */
  root: MaybeRefOrGetter<HTMLElement | null | undefined>
  /** How far around the visible area counts as near (CSS margin). @default '100% 0px' (a screenful ahead) */
  rootMargin?: string
  /** Provide it to descendants, for `injectDeferredRendering`. @default true */
  provide?: boolean
}

export interface UseDeferredRenderingReturn extends DeferredRendering {
  /** Stops observing; pending renders never run (also when the caller's scope is disposed). */
  stop: () => void
}

/**
 * Defers work until an element scrolls near `root`. Without `IntersectionObserver`, or before
 * `root` exists, `render` runs at once.
 */
export function useDeferredRendering(options: UseDeferredRenderingOptions): UseDeferredRenderingReturn {
  const { root, rootMargin = '100% 0px' } = options
  let observer: IntersectionObserver | null = null
  let stopped = false
  const pending = new Map<Element, () => void>()

  function ensureObserver(): IntersectionObserver | null {
    const rootElement = toValue(root)
    if (observer || stopped || typeof IntersectionObserver !== 'function' || !rootElement) return observer
    observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue
          const render = pending.get(entry.target)
          pending.delete(entry.target)
          observer?.unobserve(entry.target)
          render?.()
        }
      },
      { root: rootElement, rootMargin },
    )
    return observer
  }

  function observe(element: Element, render: () => void): () => void {
    // Children mount before their list's onMounted: the observer is made on first use.
    const current = ensureObserver()
    if (stopped) return () => {}
    if (!current) {
      render()
      return () => {}
    }
    pending.set(element, render)
    current.observe(element)
    return () => {
      pending.delete(element)
      observer?.unobserve(element)
    }
  }

  function stop(): void {
    stopped = true
    observer?.disconnect()
    observer = null
    pending.clear()
  }

  if (options.provide !== false) provide(deferredRenderingKey, { observe })
  if (getCurrentScope()) onScopeDispose(stop)
  return { observe, stop }
}

/** The deferred rendering of the nearest list that provides one, or null (render at once). */
export function injectDeferredRendering(): DeferredRendering | null {
  return inject(deferredRenderingKey, null)
}
