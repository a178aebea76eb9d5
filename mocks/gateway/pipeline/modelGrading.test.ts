import { describe, expect, it } from 'vitest'
import { createOpenAiProvider, GRADE_SYSTEM_PROMPT } from '../openaiProvider'
import { createTestGateway, ALICE } from '../testHelpers'
import { askV2AndWait } from './v2TestHelpers'

/** An OpenAI-compatible endpoint in-process: answers each prompt with `reply(prompt)` as server-sent events. */
function fakeEndpoint(reply: (system: string, prompt: string) => string) {
  const systems: string[] = []
  const fetchFake: typeof fetch = async (_url, init) => {
    const body = JSON.parse(String(init?.body)) as { messages: { role: string; content: string }[] }
    const system = body.messages[0]?.content ?? ''
    systems.push(system)
    const text = reply(system, body.messages[1]?.content ?? '')
    const events = `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\ndata: [DONE]\n\n`
    return new Response(events, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })
  }
  return { fetch: fetchFake, systems }
}

describe('grading with an OpenAI-compatible model', () => {
  it('asks the model with the grading instructions and follows its verdict', async () => {
    const endpoint = fakeEndpoint((system) =>
      system === GRADE_SYSTEM_PROMPT ? 'INSUFFICIENT: the page’s error log is missing' : 'Thought: I know the final answer.\nFinal Answer: A draft.',
    )
    const gateway = createTestGateway({
      pipeline: 'rag',
      timing: { reactiveContextMs: 0 },
      breaker: false,
      providers: [createOpenAiProvider({ baseUrl: 'http://127.0.0.1:9/v1', model: 'stand-in', fetch: endpoint.fetch })],
    })
    try {
      const turn = await askV2AndWait(gateway, ALICE, { content: 'Why does checkout fail?', reactiveContextProviders: ['errorLog'] }, async () => {})
      expect(endpoint.systems).toContain(GRADE_SYSTEM_PROMPT)
      expect(turn.messages.find((message) => message.messageType === 'REQUEST_CONTEXT')?.requestedContexts).toEqual([
        { provider: 'errorLog', reason: 'the page’s error log is missing' },
      ])
    } finally {
      gateway.dispose()
    }
  })
})
