// @vitest-environment jsdom
/** Script-tag hosts: the drawer's events also reach the page as `duo-chat-event` DOM events. */
import { afterEach, expect, it } from 'vitest'
import { FakeChatApi } from '../../tests/fakeChatApi'
import { mount, type MountedDuoChat } from '../element'
import { commandQueue } from '../state/globalState'
import { sendDuoChatCommand } from '../state/sendDuoChatCommand'
import type { DuoChatEvent } from './types'

let mounted: MountedDuoChat | null = null
afterEach(() => {
  commandQueue.clear()
  mounted?.unmount()
  mounted = null
  document.body.replaceChildren()
})

it('dispatches each event on the host element, bubbling out of the shadow root, and still calls onEvent', async () => {
  const host = document.createElement('div')
  document.body.append(host)
  const seen: DuoChatEvent[] = []
  const dispatched: { target: EventTarget | null; detail: DuoChatEvent }[] = []
  document.addEventListener('duo-chat-event', (event) => dispatched.push({ target: event.target, detail: (event as CustomEvent<DuoChatEvent>).detail }))
  mounted = mount(host, { graphqlUrl: 'https://duo-gateway.test/graphql', userId: 'gid://gitlab/User/1', api: new FakeChatApi(), onEvent: (event) => seen.push(event) })

  void sendDuoChatCommand({ question: '/explain', resourceId: 'gid://gitlab/Issue/1' }).catch(() => {})

  expect(dispatched[0]).toMatchObject({ target: host, detail: { type: 'command', phase: 'queued', resourceId: 'gid://gitlab/Issue/1' } })
  expect(dispatched[0]?.detail).not.toHaveProperty('text')
  expect(seen[0]).toBe(dispatched[0]?.detail)
})
