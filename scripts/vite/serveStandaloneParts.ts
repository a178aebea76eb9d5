import { createReadStream, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

const dist = fileURLToPath(new URL('../../dist/', import.meta.url))

/**
 * The dev server (`npm start`) serves the built script-tag build's on-demand parts
 * (dist/duo-chat-drawer.renderer.js and the like) at the site's root, beside
 * /duo-chat-drawer.iife.js, which scripts/start.ts serves: demo/embed.html loads them as a host
 * page would.
 */
export function serveStandaloneParts(): Plugin {
  return {
    name: 'duo-chat-standalone-parts',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const file = /^\/(duo-chat-drawer\.[\w-]+\.js)(?:\?|$)/.exec(request.url ?? '')?.[1]
        if (!file || file.endsWith('.iife.js') || !existsSync(dist + file)) return next()
        response.setHeader('Content-Type', 'text/javascript; charset=utf-8')
        createReadStream(dist + file).pipe(response)
      })
    },
  }
}
