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
  /**
   * The group an element belongs to (a block of list items). Elements are then watched only
   * while their group is near the view: the browser checks a few groups each frame rather than
   * every deferred item of a long history. @default none (each element is watched on its own)
   */
  groupOf?: (element: Element) => Element | null
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
  const { root, rootMargin = '100% 0px', groupOf } = options
  let observer: IntersectionObserver | null = null
  let groupObserver: IntersectionObserver | null = null
  let stopped = false
  const pending = new Map<Element, () => void>()
  /** Pending elements by group, for groups not near the view (their elements are not watched). */
  const members = new Map<Element, Set<Element>>()
  const groupOfPending = new Map<Element, Element>()
  const near = new Set<Element>()

  function ensureObserver(): IntersectionObserver | null {
    const rootElement = toValue(root)
    if (observer || stopped || typeof IntersectionObserver !== 'function' || !rootElement) return observer
    observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue
          const render = pending.get(entry.target)
          forget(entry.target)
          render?.()
        }
      },
      { root: rootElement, rootMargin },
    )
    if (groupOf) {
      groupObserver = new IntersectionObserver(
        (entries) => {
          for (const { target, isIntersecting } of entries) {
            if (isIntersecting) near.add(target)
            else near.delete(target)
            for (const element of members.get(target) ?? []) {
              if (isIntersecting) observer?.observe(element)
              else observer?.unobserve(element)
            }
          }
        },
        { root: rootElement, rootMargin },
      )
    }
    return observer
  }

  function forget(element: Element): void {
    pending.delete(element)
    observer?.unobserve(element)
    const group = groupOfPending.get(element)
    groupOfPending.delete(element)
    const set = group && members.get(group)
    if (!group || !set?.delete(element) || set.size) return
    members.delete(group)
    near.delete(group)
    groupObserver?.unobserve(group)
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
    const group = groupOf?.(element)
    if (group && groupObserver) {
      groupOfPending.set(element, group)
      const set = members.get(group)
      if (set) set.add(element)
      else {
        members.set(group, new Set([element]))
        groupObserver.observe(group)
      }
      if (near.has(group)) current.observe(element)
    } else current.observe(element)
    return () => forget(element)
  }

  function stop(): void {
    stopped = true
    observer?.disconnect()
    groupObserver?.disconnect()
    observer = null
    groupObserver = null
    pending.clear()
    members.clear()
    groupOfPending.clear()
    near.clear()
  }

  if (options.provide !== false) provide(deferredRenderingKey, { observe })
  if (getCurrentScope()) onScopeDispose(stop)
  return { observe, stop }
}

/** The deferred rendering of the nearest list that provides one, or null (render at once). */
export function injectDeferredRendering(): DeferredRendering | null {
  return inject(deferredRenderingKey, null)
}
