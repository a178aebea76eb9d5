import { createReadStream, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createServer, type Plugin } from 'vite'
import { startGatewayServer, timingFromEnv } from '../mocks/server'
import { demoOrigins } from '../mocks/transport/controlAccess'

// `npm start`: the mock gateway and the demo host pages in one process.
const demoPort = Number(process.env.DEMO_PORT ?? 5173)
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 4000)

// Only the demo's pages (and the gateway's own) may call the control routes from a browser.
const gateway = await startGatewayServer({
  port: gatewayPort,
  timing: timingFromEnv(),
  log: process.env.GATEWAY_LOG === '1',
  controlOrigins: demoOrigins(demoPort),
})
process.env.VITE_GATEWAY_URL = gateway.url

// /embed.html loads the real script-tag bundle, as a host page would.
const standaloneBundle = fileURLToPath(new URL('../dist/duo-chat-drawer.iife.js', import.meta.url))
const serveStandaloneBundle: Plugin = {
  name: 'duo-chat-standalone-bundle',
  configureServer(server) {
    server.middlewares.use('/duo-chat-drawer.iife.js', (_request, response) => {
      if (!existsSync(standaloneBundle)) {
        response.statusCode = 404
        response.end('// Run `npm run build` to make dist/duo-chat-drawer.iife.js.')
        return
      }
      response.setHeader('Content-Type', 'text/javascript; charset=utf-8')
      createReadStream(standaloneBundle).pipe(response)
    })
  },
}

const demo = await createServer({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  root: fileURLToPath(new URL('../demo', import.meta.url)),
  server: { host: '127.0.0.1', port: demoPort, strictPort: true },
  plugins: [serveStandaloneBundle],
})
await demo.listen()

console.log(`Demo:    http://127.0.0.1:${demoPort}/`)
console.log(`Gateway: ${gateway.url} (ws: ${gateway.wsUrl})`)

async function shutdown(): Promise<void> {
  await Promise.allSettled([demo.close(), gateway.close()])
  process.exit(0)
}
process.once('SIGINT', () => void shutdown())
process.once('SIGTERM', () => void shutdown())
