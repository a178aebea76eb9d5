import { afterEach, describe, expect, it } from 'vitest'
import { createTestGateway, ALICE } from '../gateway/testHelpers'
import { askV2AndWait } from '../gateway/pipeline/v2TestHelpers'
import { loopbackHosts, originsOf, type ControlAccess } from './controlAccess'
import { createControlRoutes } from './controlRoutes'

const hosts = loopbackHosts(4000)
const access: ControlAccess = { origins: originsOf(hosts), hosts }
const gateway = createTestGateway()
const routes = createControlRoutes(gateway, () => access)
const post = (path: string, body: unknown, headers: Record<string, string> = { host: '127.0.0.1:4000' }) =>
  routes.handle({ method: 'POST', path, header: (name) => headers[name.toLowerCase()] ?? null, json: async () => body })

describe('POST /__mock/settings', () => {
  afterEach(() => gateway.reset())

  it('chooses the user’s pipeline until /__mock/reset', async () => {
    expect(await post('/__mock/settings', { user: 'alice', pipeline: 'rag' })).toMatchObject({ status: 200, body: { ok: true } })
    expect((await askV2AndWait(gateway, ALICE, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('RAG')
    expect(await post('/__mock/reset', undefined)).toMatchObject({ status: 200 })
    expect((await askV2AndWait(gateway, ALICE, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('REACT')
  })

  it('answers 400 with a sentence for a bad body', async () => {
    expect(await post('/__mock/settings', { user: 'alice', pipeline: 'fast' })).toMatchObject({
      status: 400,
      body: { error: 'Invalid settings: "pipeline" must be one of react, rag or null.' },
    })
  })

  it('keeps the same Origin and Host lock as the other control routes', async () => {
    expect(await post('/__mock/settings', { user: 'alice', pipeline: 'rag' }, { host: '127.0.0.1:4000', origin: 'https://evil.example' })).toMatchObject({ status: 403, body: { code: 'M3100' } })
    expect(await post('/__mock/settings', { user: 'alice', pipeline: 'rag' }, { host: 'rebound.example:4000' })).toMatchObject({ status: 403, body: { code: 'M3101' } })
    expect((await askV2AndWait(gateway, ALICE, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('REACT')
  })
})

describe('the other ways to choose', () => {
  it('reads GATEWAY_PIPELINE', async () => {
    const { gatewayOptionsFromEnv } = await import('../gatewayEnv')
    expect(gatewayOptionsFromEnv({ GATEWAY_PIPELINE: 'rag' }).pipeline).toBe('rag')
    expect(gatewayOptionsFromEnv({}).pipeline).toBeUndefined()
    expect(() => gatewayOptionsFromEnv({ GATEWAY_PIPELINE: 'fast' })).toThrow('GATEWAY_PIPELINE must be "react" or "rag", got "fast".')
  })

  it('has setSettings in the test kit', async () => {
    const { createMockGateway } = await import('../testKit')
    const mock = createMockGateway()
    try {
      mock.setSettings({ user: 'alice', pipeline: 'rag' })
      expect((await askV2AndWait(mock.gateway, ALICE, { content: 'Summarize issue #1' })).answer.extras?.pipeline).toBe('RAG')
    } finally {
      mock.dispose()
    }
  })
})
