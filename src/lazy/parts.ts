// The parts of the drawer that load on demand, as the library's bundler splits them. The script-tag
// build (vite.standalone.config.ts) swaps this module for ./standaloneParts.ts, which loads the same
// parts from files beside the script.
import type { RendererModule } from './renderer'

export const importRendererModule = (): Promise<RendererModule> => import('./rendererModule')

/** `@rails/actioncable`, for the 'actioncable' transport only. */
export const importActionCable = (): Promise<typeof import('@rails/actioncable')> => import('@rails/actioncable')
