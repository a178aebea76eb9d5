import type { SanitizeOptions } from '../render/sanitize'
import { importRendererModule } from './parts'

/** The renderer's module: what `loadRenderer` resolves with. */
export type RendererModule = typeof import('./rendererModule')

let loaded: RendererModule | null = null
let loading: Promise<RendererModule> | null = null
let sanitizerOptions: SanitizeOptions | null = null

/** The renderer if its module has loaded already, else null (then call {@link loadRenderer}). */
export function loadedRenderer(): RendererModule | null {
  return loaded
}

/**
 * Loads the markdown renderer (marked, DOMPurify and the renderer) once; every caller shares the
 * one import. A failed load (say, the network dropped) is forgotten, so the next call tries again.
 */
export function loadRenderer(): Promise<RendererModule> {
  loading ??= importRendererModule().then(
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
