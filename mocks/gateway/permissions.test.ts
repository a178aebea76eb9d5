import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Gateway } from './index'
import { ALICE, askAndWait, BOB, createTestGateway, openSubscription, toolSteps, type TestSubscription } from './testHelpers'

const SECRETS = ['Secret roadmap', 'acme/secret', 'marketplace', 'Issue/99', 'Partner shortlist']

describe('permissions', () => {
  let gateway: Gateway
  let aliceTabs: TestSubscription
  beforeEach(async () => {
    gateway = createTestGateway()
    // A second tab of alice's, to check broadcasts as well as the asking subscription.
    aliceTabs = await openSubscription(gateway, ALICE)
  })
  afterEach(async () => {
    await aliceTabs.close()
    gateway.dispose()
  })

  function everythingAliceReceived(turnMessages: readonly unknown[]): string {
    return JSON.stringify([turnMessages, aliceTabs.messages])
  }

  it('answers M3003 when alice asks about the private issue, and leaks nothing of it', async () => {
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/99' })

    expect(turn.answer.errors).toEqual([expect.stringMatching(/ Error code: M3003$/)])
    expect(turn.answer.content).toBe(turn.answer.errors[0]?.replace(' Error code: M3003', ''))
    expect(toolSteps(turn.messages)).toEqual([])
    const received = everythingAliceReceived(turn.messages)
    for (const secret of SECRETS) expect(received).not.toContain(secret)
  })

  it('answers M3003 when the question references the private issue, without naming it', async () => {
    const turn = await askAndWait(gateway, ALICE, { content: 'What is gid://gitlab/Issue/99 about?' })

    expect(turn.answer.errors).toEqual([expect.stringMatching(/M3003$/)])
    const written = JSON.stringify([turn.messages.filter((message) => message.role !== 'USER'), turn.answer])
    for (const secret of SECRETS) expect(written).not.toContain(secret)
  })

  it('treats a private project reference like a missing one', async () => {
    const hidden = await askAndWait(gateway, ALICE, { content: 'Summarize acme/secret#1' })
    const missing = await askAndWait(gateway, ALICE, { content: 'Summarize acme/nowhere#1' })

    expect(hidden.answer.content).toBe(missing.answer.content)
    expect(hidden.answer.errors).toEqual(missing.answer.errors)
  })

  it('leaves the private child issue out of the epic for alice', async () => {
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize this epic', resourceId: 'gid://gitlab/Epic/1' })

    expect(turn.answer.content).toContain('Checkout redesign')
    expect(turn.answer.content).toContain('Add Apple Pay to checkout')
    for (const secret of SECRETS) expect(everythingAliceReceived(turn.messages)).not.toContain(secret)
  })

  it('lets bob, a member, read the private issue', async () => {
    const turn = await askAndWait(gateway, BOB, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/99' })

    expect(turn.answer.errors).toEqual([])
    expect(turn.answer.content).toContain('Secret roadmap')
  })

  it('answers M3002 for an issue in a project with GitLab Duo turned off', async () => {
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/50' })

    expect(turn.answer.errors).toEqual([expect.stringMatching(/turned off GitLab Duo.* Error code: M3002$/)])
    expect(toolSteps(turn.messages)).toEqual([])
    expect(turn.answer.content).not.toContain('Invoice')
  })

  it('answers M3002 when a tool is pointed at that project', async () => {
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize acme/legacy#1' })

    expect(toolSteps(turn.messages)).toEqual(['Issue Reader'])
    expect(turn.answer.errors).toEqual([expect.stringMatching(/M3002$/)])
  })

  it.each(['gid://gitlab/Issue/12345', 'gid://gitlab/Pipeline/1', 'not-a-global-id', BOB.id])(
    'answers M3003 for the unknown resource %s',
    async (resourceId) => {
      const turn = await askAndWait(gateway, ALICE, { content: 'Summarize this', resourceId })

      expect(turn.answer.errors).toEqual([expect.stringMatching(/M3003$/)])
      expect(toolSteps(turn.messages)).toEqual([])
    },
  )

  it('treats the viewer’s own user id as "no resource", as GitLab’s UI sends it', async () => {
    const turn = await askAndWait(gateway, ALICE, { content: 'hello', resourceId: ALICE.id })

    expect(turn.answer.errors).toEqual([])
  })
})
