import { existsSync } from 'node:fs'
import { defineConfig, devices } from '@playwright/test'

// Debian's Chromium where it is installed (CI, this machine); Playwright's own browser elsewhere.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const launchOptions = existsSync(chromiumPath)
  ? {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    }
  : {}

// Ports of their own, so that a running `npm start` does not collide with the tests.
const demoPort = Number(process.env.E2E_DEMO_PORT ?? 5183)
const gatewayPort = Number(process.env.E2E_GATEWAY_PORT ?? 4010)

// The specs of the agent flow run on both transports. In the 'actioncable' project the demo server
// answers `/` with the GitLab page (scripts/start.ts; cookie duo_demo_host=gitlab): same origin, session cookie, CSRF token,
// ActionCable through the dev server's proxy; the specs themselves do not change. gitlabPage.spec.ts
// checks that page itself.
const ACTIONCABLE_SPECS = /\/(agentFlow|commands|context|conversation|reliability|gitlabPage)\.spec\.ts$/

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${demoPort}`,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions,
  },
  projects: [
    { name: 'graphql-ws', testIgnore: /\/gitlabPage\.spec\.ts$/ },
    {
      name: 'actioncable',
      testMatch: ACTIONCABLE_SPECS,
      // A cookie, not a header: a header would need a CORS preflight on the other hosts' requests.
      use: { storageState: { cookies: [{ name: 'duo_demo_host', value: 'gitlab', domain: '127.0.0.1', path: '/', expires: -1, httpOnly: false, secure: false, sameSite: 'Lax' }], origins: [] } },
    },
  ],
  webServer: {
    command: 'node --import tsx scripts/start.ts',
    url: `http://127.0.0.1:${demoPort}/`,
    // The e2e run uses the scripted model, whatever providers the shell has configured.
    env: {
      DEMO_PORT: String(demoPort),
      GATEWAY_PORT: String(gatewayPort),
      NODE_ENV: 'test',
      GATEWAY_OPENAI_BASE_URL: '',
      GATEWAY_PROVIDER_FAILURE_RATE: '',
    },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
})
