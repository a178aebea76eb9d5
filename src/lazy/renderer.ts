import type { SanitizeOptions } from '../render/sanitize'

/** The renderer's module: what `loadRenderer` resolves with. */
export type RendererModule = typeof import('./rendererModule')

// A page that never goes idle still gets the renderer within this long.
const IDLE_TIMEOUT_MS = 2000
// Without requestIdleCallback (Safari), wait out the page's own start-up work first.
const FALLBACK_DELAY_MS = 200

let loaded: RendererModule | null = null
let loading: Promise<RendererModule> | null = null
let sanitizerOptions: SanitizeOptions | null = null
let prefetchScheduled = false

/** The renderer if its module has loaded already, else null (then call {@link loadRenderer}). */
export function loadedRenderer(): RendererModule | null {
  return loaded
}

/**
 * Loads the markdown renderer (marked, DOMPurify and the renderer) once; every caller shares the
 * one import. A failed load (say, the network dropped) is forgotten, so the next call tries again.
 */
export function loadRenderer(): Promise<RendererModule> {
  loading ??= import('./rendererModule').then(
    (module) => {
      // The plugin's options reach the sanitizer before anything renders with it.
      if (sanitizerOptions) module.configureSanitizer(sanitizerOptions)
      loaded = module
      return module
    },
    (error: unknown) => {
      loading = null
      throw error
    },
  )
  return loading
}

/**
 * Resolves once the renderer has loaded (and starts loading it if nothing has yet): a test or a
 * host awaits this to read an answer's rendered markdown rather than its plain-text stand-in.
 */
export function whenRendererReady(): Promise<void> {
  return loadRenderer().then(() => undefined)
}

/** The sanitizer's options (images' allowed origins), applied now or as soon as the renderer loads. */
export function configureRendererSanitizer(options: SanitizeOptions): void {
  sanitizerOptions = { ...sanitizerOptions, ...options }
  loaded?.configureSanitizer(sanitizerOptions)
}

/**
 * Loads the renderer when the page has nothing better to do (`requestIdleCallback`, or a short
 * timeout where the browser lacks it), so that the first answer seldom waits for it. Once per page;
 * nothing happens without a DOM.
 */
export function prefetchRendererWhenIdle(win: (Window & typeof globalThis) | null = globalThis.window ?? null): void {
  if (!win || loaded || loading || prefetchScheduled) return
  prefetchScheduled = true
  const prefetch = (): void => {
    loadRenderer().catch((error: unknown) => {
      // Not fatal: answers show as plain text, and the next one tries the load again.
      console.warn('[duo-chat-drawer]: the markdown renderer could not be prefetched.', error)
    })
  }
  if (typeof win.requestIdleCallback === 'function') win.requestIdleCallback(prefetch, { timeout: IDLE_TIMEOUT_MS })
  else win.setTimeout(prefetch, FALLBACK_DELAY_MS)
}
