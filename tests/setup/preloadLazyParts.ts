// The drawer loads its markdown renderer on demand (src/lazy/). Component tests read rendered
// markdown right after mounting, as they did when it was bundled in: load it before each file runs.
// src/lazy/renderer.test.ts covers the plain text shown before it has loaded, with fresh modules.
import { whenRendererReady } from '../../src/lazy/renderer'

await whenRendererReady()
