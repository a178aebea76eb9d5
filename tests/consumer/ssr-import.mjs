// An SSR host (Nuxt, a Node test runner) imports the package on the server, where there is no DOM.
// Run from tests/consumer after the tarball is installed: the imports must not throw, and must not
// leave browser globals behind.
import assert from 'node:assert/strict'

assert.equal(typeof window, 'undefined', 'this check needs a Node without a DOM')
assert.equal(typeof document, 'undefined', 'this check needs a Node without a DOM')

const drawer = await import('duo-chat-drawer')
for (const name of ['createDuoChat', 'DuoChatDrawer', 'duoChatGlobalState', 'sendDuoChatCommand', 'defaultLabels', 'DuoChatError']) {
  assert.ok(drawer[name], `duo-chat-drawer exports ${name}`)
}
assert.equal(drawer.duoChatGlobalState.isShown, false)
// The chunks the drawer loads on demand (the renderer, the on-demand components) load and run too.
await drawer.whenLazyPartsReady()

const mocks = await import('duo-chat-drawer/mocks')
assert.equal(typeof mocks.createMockGateway, 'function')
// The test kit itself runs in Node (vitest hosts): build a gateway and answer through the engine.
const mock = mocks.createMockGateway()
const answer = await mock.ask('What is GitLab Duo Chat?')
assert.ok(answer.content.length > 0, 'the mock gateway answers in Node')
mock.dispose()

// The script-tag build too: imported where there is no DOM, it defines nothing and does not throw.
await import('duo-chat-drawer/standalone')

assert.equal(typeof window, 'undefined', 'importing the package defines no window')
assert.equal(typeof customElements, 'undefined', 'importing the package defines no customElements')
console.log('ssr-import: duo-chat-drawer, duo-chat-drawer/mocks and duo-chat-drawer/standalone import in Node without a DOM')
