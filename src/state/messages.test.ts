// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick, watch } from 'vue'
import { createMessage, onContent } from './messages'

afterEach(() => {
  vi.useRealTimers()
})

describe("an answer's streamed text", () => {
  it('reaches listeners with every chunk, while watchers hear of it once a frame with the latest text', async () => {
    vi.useFakeTimers()
    const answer = createMessage('ASSISTANT', { status: 'streaming' })
    const heard: string[] = []
    const watched: string[] = []
    onContent(answer, (text) => heard.push(text))
    watch(() => answer.content, (text) => watched.push(text))

    answer.content = 'Checking'
    await nextTick()
    // The answer starting decides what the message shows: watchers hear of it at once.
    expect(watched).toEqual(['Checking'])
    answer.content = 'Checking the'
    answer.content = 'Checking the checkout'
    await nextTick()
    expect(heard).toEqual(['Checking', 'Checking the', 'Checking the checkout'])
    // The store stays the source of truth: a read always gives the latest text.
    expect(answer.content).toBe('Checking the checkout')
    expect(watched).toEqual(['Checking'])
    await vi.advanceTimersByTimeAsync(20)
    expect(watched).toEqual(['Checking', 'Checking the checkout'])
  })

  it('stops reaching a listener that stopped listening; questions never stream', () => {
    const answer = createMessage('ASSISTANT')
    const heard: string[] = []
    const stop = onContent(answer, (text) => heard.push(text))!
    answer.content = 'One'
    stop()
    answer.content = 'One two'
    expect(heard).toEqual(['One'])
    expect(onContent(createMessage('USER', { content: 'Hi' }), () => {})).toBeNull()
  })

  it('is an ordinary property to everyone else: spread, serialized, assigned', () => {
    const answer = createMessage('ASSISTANT', { content: 'Done.' })
    Object.assign(answer, { content: 'Done, really.', status: 'complete' })
    expect({ ...answer }.content).toBe('Done, really.')
    expect(JSON.parse(JSON.stringify(answer)).content).toBe('Done, really.')
  })
})
