/**
 * The engine's observer hook: it hears each request's life in order, exactly once per end, and an
 * observer that throws never breaks an answer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { GatewayObserver } from './index'
import { readTraceparent } from './observer'
import { ALICE, askAndWait, createTestGateway, toolSteps } from './testHelpers'

afterEach(() => vi.restoreAllMocks())

function recording(): { observer: GatewayObserver; log: string[] } {
  const log: string[] = []
  return {
    log,
    observer: {
      request(start) {
        log.push(`request ${start.pipeline} ${start.traceparent ?? '-'}`)
        return {
          accepted: ({ scenario }) => log.push(`accepted scenario=${scenario}`),
          step: (index) => (log.push(`step ${index}`), { end: (_at, code) => log.push(`step ${index} end ${code ?? 'ok'}`) }),
          modelCall: () => ({
            end: (_at, code) => log.push(`model end ${code ?? 'ok'}`),
            provider: (name, result) => log.push(`provider ${name} ${result}`),
          }),
          tool: (name) => (log.push(`tool ${name}`), { end: (_at, code) => log.push(`tool ${name} end ${code ?? 'ok'}`) }),
          firstChunk: () => log.push('first chunk'),
          end: ({ outcome, code }) => log.push(`end ${outcome} ${code ?? '-'}`),
        }
      },
    },
  }
}

describe('the observer hook', () => {
  it('hears a question through its steps, model calls, tool and first chunk, in order', async () => {
    const { observer, log } = recording()
    await askAndWait(createTestGateway({ observer }), ALICE, { content: 'Summarize issue #1' })
    expect(log).toEqual([
      'request react -',
      'accepted scenario=false',
      'step 0',
      'provider scripted answered',
      'model end ok',
      'tool issue_reader',
      'tool issue_reader end ok',
      'step 0 end ok',
      'step 1',
      'provider scripted answered',
      'model end ok',
      'step 1 end ok',
      'first chunk',
      'end answered -',
    ])
  })

  it('hears a failing tool end its step with the code, and a refusal end without being accepted', async () => {
    const { observer, log } = recording()
    const gateway = createTestGateway({ observer })
    await askAndWait(gateway, ALICE, { content: 'Summarize gid://gitlab/Issue/99' })
    expect(log.slice(-3)).toEqual(['tool issue_reader end M3003', 'step 0 end M3003', 'end error M3003'])

    log.length = 0
    await expect(askAndWait(gateway, ALICE, { content: ' ' })).rejects.toThrow(/empty/)
    expect(log).toEqual(['request react -', 'end refused -'])
  })

  it('keeps answering when every hook throws', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const boom = () => {
      throw new Error('observer bug')
    }
    const gateway = createTestGateway({
      observer: { request: () => ({ accepted: boom, step: boom, modelCall: boom, tool: boom, firstChunk: boom, end: boom }) },
    })
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize issue #1' })
    expect(turn.answer.errors).toEqual([])
    expect(toolSteps(turn.messages)).toEqual(['Issue Reader'])
    expect(error).toHaveBeenCalled()
  })
})

describe('readTraceparent', () => {
  it.each([
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    [' 00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-00 ', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00'],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', null],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', null],
    ['01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', null],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', null],
    ['not a traceparent', null],
    [null, null],
  ])('reads %j as %j', (header, expected) => {
    expect(readTraceparent(header)).toBe(expected)
  })
})
