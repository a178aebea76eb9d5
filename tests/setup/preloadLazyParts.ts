// The drawer loads its markdown renderer and some components on demand (src/lazy/). Component
// tests read rendered markdown and open panels right after mounting, as they did when all was
// bundled in: load them before each file runs. src/lazy/*.test.ts cover the moments before they have
// loaded, with fresh modules.
import { whenLazyPartsReady } from '../../src/lazy/prefetch'

// Files that run without a DOM render nothing: they skip the load.
if (typeof document !== 'undefined') await whenLazyPartsReady()
