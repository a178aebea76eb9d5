import { loadOnDemandComponents } from './onDemandComponents'
import { loadRenderer } from './renderer'

// A page that never goes idle still gets the lazy parts within this long.
const IDLE_TIMEOUT_MS = 2000
// Where the browser lacks requestIdleCallback, wait out the page's own start-up work first.
const FALLBACK_DELAY_MS = 200

let scheduled = false

/**
 * Loads what the drawer holds back from the first load (the markdown renderer with marked and
 * DOMPurify, the components that appear on demand) once the page has nothing better to do, so
 * that neither the first answer nor the first click waits for it. Once per page; nothing happens
 * without a DOM.
 */
export function prefetchWhenIdle(win: (Window & typeof globalThis) | null = globalThis.window ?? null): void {
  if (!win || scheduled) return
  scheduled = true
  const prefetch = (): void => {
    whenLazyPartsReady().catch((error: unknown) => {
      // Not fatal: answers stay plain text until a later load succeeds; components load when they first appear.
      console.warn('[duo-chat-drawer]: prefetching the drawer’s lazy parts failed.', error)
    })
  }
  if (typeof win.requestIdleCallback === 'function') win.requestIdleCallback(prefetch, { timeout: IDLE_TIMEOUT_MS })
  else win.setTimeout(prefetch, FALLBACK_DELAY_MS)
}

/**
 * Resolves once every part the drawer loads on demand (the markdown renderer, the on-demand
 * components) has loaded, starting the loads if need be. A host's component tests await it before
 * reading an answer's rendered markdown; a page that wants everything at once may call it early.
 */
export function whenLazyPartsReady(): Promise<void> {
  return Promise.all([loadRenderer(), loadOnDemandComponents()]).then(() => undefined)
}
