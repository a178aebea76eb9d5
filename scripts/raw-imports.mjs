// Lets plain Node (benchmarks, scripts) load Vite's `?raw` imports, e.g. the *.graphql operations.
import { register } from 'node:module'

register('./raw-imports-hooks.mjs', import.meta.url)
