// @vitest-environment jsdom
import { gql } from '@apollo/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApolloClient, type DuoChatApolloClient } from './createApolloClient'

const QUERY = gql`
  query Threads {
    aiConversationThreads {
      nodes {
        id
      }
    }
  }
`

let apollo: DuoChatApolloClient | null = null
afterEach(async () => {
  await apollo?.dispose()
  apollo = null
  vi.unstubAllGlobals()
  document.head.innerHTML = ''
})

/** Records the requests the client makes, answering each with an empty thread list. */
function recordFetch() {
  const requests: { url: string; init: RequestInit }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      requests.push({ url: String(url), init })
      return new Response(JSON.stringify({ data: { aiConversationThreads: { nodes: [] } } }), { headers: { 'Content-Type': 'application/json' } })
    }),
  )
  return requests
}

describe("the 'actioncable' transport over HTTP", () => {
  it("posts to /api/graphql on the page's origin with the cookie and the page's CSRF token", async () => {
    document.head.innerHTML = '<meta name="csrf-token" content="token-from-the-page">'
    const requests = recordFetch()
    apollo = createApolloClient({ transport: 'actioncable' })
    await apollo.client.query({ query: QUERY })
    expect(requests).toHaveLength(1)
    expect(requests[0]!.url).toBe(`${location.origin}/api/graphql`)
    expect(requests[0]!.init.credentials).toBe('same-origin')
    const headers = new Headers(requests[0]!.init.headers)
    expect(headers.get('X-CSRF-Token')).toBe('token-from-the-page')
    expect(headers.get('Authorization')).toBeNull()
  })

  it('reads the meta tag on every request, so a rotated token is used', async () => {
    document.head.innerHTML = '<meta name="csrf-token" content="first">'
    const requests = recordFetch()
    apollo = createApolloClient({ transport: 'actioncable' })
    await apollo.client.query({ query: QUERY })
    document.head.querySelector('meta')!.setAttribute('content', 'rotated')
    await apollo.client.query({ query: QUERY })
    expect(requests.map((request) => new Headers(request.init.headers).get('X-CSRF-Token'))).toEqual(['first', 'rotated'])
  })

  it('takes an explicit graphqlUrl, csrfToken and bearer token', async () => {
    const requests = recordFetch()
    apollo = createApolloClient({ transport: 'actioncable', graphqlUrl: 'https://gitlab.example/api/graphql', csrfToken: () => 'given', token: 'api-token' })
    await apollo.client.query({ query: QUERY })
    expect(requests[0]!.url).toBe('https://gitlab.example/api/graphql')
    const headers = new Headers(requests[0]!.init.headers)
    expect(headers.get('X-CSRF-Token')).toBe('given')
    expect(headers.get('Authorization')).toBe('Bearer api-token')
  })

  it('refuses an unknown transport with a TypeError', () => {
    expect(() => createApolloClient({ transport: 'long-polling' as 'actioncable' })).toThrow(TypeError)
  })
})
