import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import { startGatewayServer, timingFromEnv } from '../mocks/server'

// `npm start`: the mock gateway and the demo host pages in one process.
const demoPort = Number(process.env.DEMO_PORT ?? 5173)
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 4000)

const gateway = await startGatewayServer({ port: gatewayPort, timing: timingFromEnv(), log: process.env.GATEWAY_LOG === '1' })
process.env.VITE_GATEWAY_URL = gateway.url

const demo = await createServer({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  root: fileURLToPath(new URL('../demo', import.meta.url)),
  server: { host: '127.0.0.1', port: demoPort, strictPort: true },
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
