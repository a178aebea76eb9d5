import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors'
import { describe, expect, it } from 'vitest'
import { toDuoChatError } from './errors'

// The client talks only to GitLab, so its own failures carry the monolith's letter M.
describe('toDuoChatError', () => {
  it('gives an unreachable GitLab M1000', () => {
    expect(toDuoChatError(new TypeError('Failed to fetch'))).toMatchObject({ kind: 'network', code: 'M1000', message: 'Failed to fetch' })
  })

  it('gives a socket closed abnormally M1000, also as GraphQLWsLink reports it', () => {
    expect(toDuoChatError({ code: 1006, reason: '' })).toMatchObject({ kind: 'network', code: 'M1000' })
    expect(toDuoChatError(new Error('Socket closed with event 1011 Internal error'))).toMatchObject({ kind: 'network', code: 'M1000' })
  })

  it('gives an HTTP error M1002, and refused credentials no code but a sentence that says to sign in', () => {
    const response = (status: number) => new ServerError('failed', { response: new Response('', { status }), bodyText: '' })
    expect(toDuoChatError(response(502))).toMatchObject({ kind: 'server', code: 'M1002', message: 'The gateway answered HTTP 502.' })
    expect(toDuoChatError(response(401))).toMatchObject({ kind: 'server', code: null, message: expect.stringContaining('Sign in again') })
    expect(toDuoChatError({ code: 4403, reason: 'Forbidden' })).toMatchObject({ code: null, message: expect.stringContaining('Sign in again') })
  })

  it("keeps GitLab's code from a GraphQL error, and gives a refused subscription M3003", () => {
    const graphql = (message: string, extensions?: Record<string, unknown>) => new CombinedGraphQLErrors({ errors: [{ message, ...(extensions ? { extensions } : {}) }] })
    expect(toDuoChatError(graphql('Too many open subscriptions on this connection. Error code: M1011'))).toMatchObject({ kind: 'graphql', code: 'M1011' })
    expect(toDuoChatError(graphql('You can only subscribe to AI responses for your own user id.', { code: 'FORBIDDEN' }))).toMatchObject({ kind: 'graphql', code: 'M3003' })
  })
})
