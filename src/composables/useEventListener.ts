import { getCurrentScope, onScopeDispose, toValue, watch, type MaybeRefOrGetter } from 'vue'

/**
 * Listens to `type` on `target` (an element, a ref to one, or `window`) while the target is there:
 * a new target moves the listener, and the caller's scope disposing removes it.
 *
 * @returns a function that stops listening
 */
export function useEventListener<E extends Event = Event>(
  target: MaybeRefOrGetter<EventTarget | null | undefined>,
  type: string,
  listener: (event: E) => void,
  options?: AddEventListenerOptions,
): () => void {
  const handler = listener as EventListener
  let detach = (): void => {}
  const stopWatch = watch(
    () => toValue(target),
    (element) => {
      detach()
      detach = () => {}
      if (!element) return
      element.addEventListener(type, handler, options)
      detach = () => element.removeEventListener(type, handler, options)
    },
    // At once when a template ref is set: an event right after mount must not be missed.
    { immediate: true, flush: 'sync' },
  )
  const stop = (): void => {
    stopWatch()
    detach()
    detach = () => {}
  }
  if (getCurrentScope()) onScopeDispose(stop)
  return stop
}

/** `window` where there is one (not in Node or SSR). */
export const defaultWindow: Window | undefined = typeof window === 'undefined' ? undefined : window
