import { print } from 'graphql'
import { Observable } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { createChatApi } from './chatApi'
import type { DuoChatApolloClient } from './createApolloClient'

/** An Apollo client stand-in that records the subscriptions it is asked for. */
function recordingClient() {
  const subscribed: { query: string; variables: Record<string, unknown> }[] = []
  const client = {
    subscribe: (options: { query: Parameters<typeof print>[0]; variables: Record<string, unknown> }) => {
      subscribed.push({ query: print(options.query), variables: options.variables })
      return new Observable(() => {})
    },
  } as unknown as DuoChatApolloClient['client']
  return { subscribed, api: createChatApi({ client, whenConnected: () => Promise.resolve() }) }
}

describe('htmlResponse, as GitLab has it', () => {
  it('the subscription selects contentHtml only if $htmlResponse, which defaults to true', () => {
    const { subscribed, api } = recordingClient()
    api.subscribe({ userId: 'gid://gitlab/User/1', aiAction: 'CHAT' }, { next: () => {} })
    expect(subscribed[0]!.query).toContain('$htmlResponse: Boolean = true')
    expect(subscribed[0]!.query).toContain('contentHtml @include(if: $htmlResponse)')
  })

  it('a chunk subscription (one question) passes false; the user-wide one keeps the HTML of complete messages', () => {
    const { subscribed, api } = recordingClient()
    api.subscribe({ userId: 'gid://gitlab/User/1', clientSubscriptionId: 'c1' }, { next: () => {} })
    api.subscribe({ userId: 'gid://gitlab/User/1', aiAction: 'CHAT' }, { next: () => {} })
    expect(subscribed.map((s) => s.variables.htmlResponse)).toEqual([false, true])
  })
})
