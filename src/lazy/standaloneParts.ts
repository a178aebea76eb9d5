// The script-tag build's stand-in for ./parts.ts: a classic script cannot be split by a bundler,
// so its on-demand parts are ES modules beside it (vite.standalone-parts.config.ts), imported by
// absolute URL. Keep the files together: a page that serves the script serves its parts too.
import type { RendererModule } from './renderer'
import { STANDALONE_PART_FILES } from './standalonePartFiles'

// Read while the script runs: later, document.currentScript is some other script or null.
const scriptUrl = typeof document === 'undefined' ? undefined : (document.currentScript as HTMLScriptElement | null)?.src

/** Where a part's file is: beside the script (else beside the page, when no script is running it). */
export function partUrl(file: string): string {
  return new URL(file, scriptUrl || document.baseURI).href
}

export const importRendererModule = (): Promise<RendererModule> => import(/* @vite-ignore */ partUrl(STANDALONE_PART_FILES.renderer))

export const importActionCable = (): Promise<typeof import('@rails/actioncable')> => import(/* @vite-ignore */ partUrl(STANDALONE_PART_FILES.actionCable))
