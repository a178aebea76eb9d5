import { setupWorker } from 'msw/browser'
import { createMockGateway, type MockDuoChatOptions } from 'duo-chat-drawer/mocks'

/** In development the drawer talks to the mock gateway, served by msw's service worker. */
export async function startMockGateway(): Promise<MockDuoChatOptions> {
  const mock = createMockGateway({ timing: 'realistic', users: [{ username: 'alice' }, { username: 'carol', projects: ['acme/shop'] }] })
  mock.scenario({ user: 'alice', text: 'Hello from the mock gateway.' })
  await setupWorker(...mock.handlers).start({ onUnhandledRequest: 'bypass' })
  return mock.duoChatOptions('alice')
}
