import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createServer, type Plugin } from 'vite'
import { startGatewayServer, timingFromEnv } from '../mocks/server'
import { demoOrigins } from '../mocks/transport/controlAccess'
import { FIXTURE_SESSIONS, SESSION_COOKIE } from '../mocks/transport/gitlabSession'

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

/**
 * /gitlab.html: the issue page as GitLab serves it, signed in. The "sign-in" sets alice's session
 * cookie (bob's with ?user=bob) and puts the session's CSRF token into the page, as Rails does.
 * The e2e suite's 'actioncable' project asks for this page at `/` with the cookie duo_demo_host=gitlab,
 * so that every spec written against the demo runs on GitLab's transport unchanged.
 */
const gitlabPage = fileURLToPath(new URL('../demo/gitlab.html', import.meta.url))
const FIXTURE_USERS = { alice: { id: 'gid://gitlab/User/1', session: FIXTURE_SESSIONS[0]! }, bob: { id: 'gid://gitlab/User/2', session: FIXTURE_SESSIONS[1]! } }
const serveGitlabPage: Plugin = {
  name: 'duo-chat-gitlab-page',
  configureServer(server) {
    server.middlewares.use((request, response, next) => {
      const url = new URL(request.url ?? '/', 'http://demo')
      const asGitlab = url.pathname === '/gitlab.html' || (url.pathname === '/' && /(?:^|;\s*)duo_demo_host=gitlab(?:;|$)/.test(request.headers.cookie ?? ''))
      if (!asGitlab || request.method !== 'GET') return next()
      const user = url.searchParams.get('user') === 'bob' ? FIXTURE_USERS.bob : FIXTURE_USERS.alice
      const html = readFileSync(gitlabPage, 'utf8').replace('%DUO_DEMO_CSRF_TOKEN%', user.session.csrfToken).replace('%DUO_DEMO_USER_ID%', user.id)
      server
        .transformIndexHtml('/gitlab.html', html, request.originalUrl)
        .then((transformed) => {
          response.setHeader('Set-Cookie', `${SESSION_COOKIE}=${user.session.session}; Path=/; HttpOnly; SameSite=Lax`)
          response.setHeader('Content-Type', 'text/html; charset=utf-8')
          response.setHeader('Cache-Control', 'no-store')
          response.end(transformed)
        })
        .catch(next)
    })
  },
}

const demo = await createServer({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  root: fileURLToPath(new URL('../demo', import.meta.url)),
  server: {
    host: '127.0.0.1',
    port: demoPort,
    strictPort: true,
    // GitLab's paths on the page's own origin, as inside GitLab: the cookie and CSRF token go along.
    proxy: {
      '/api/graphql': { target: gateway.origin },
      '/-/cable': { target: gateway.origin, ws: true },
    },
  },
  plugins: [serveStandaloneBundle, serveGitlabPage],
})
await demo.listen()

console.log(`Demo:    http://127.0.0.1:${demoPort}/ (GitLab page over ActionCable: http://127.0.0.1:${demoPort}/gitlab.html)`)
console.log(`Gateway: ${gateway.url} (ws: ${gateway.wsUrl})`)

async function shutdown(): Promise<void> {
  await Promise.allSettled([demo.close(), gateway.close()])
  process.exit(0)
}
process.once('SIGINT', () => void shutdown())
process.once('SIGTERM', () => void shutdown())
