import { afterEach, describe, expect, it } from 'vitest'
import type { AiActionAuditRecord, AuditRecord, ProviderCircuitAuditRecord } from './audit'
import { ERROR_SENTENCES } from './errors'
import type { Gateway } from './index'
import {
  CircuitBreaker,
  createFlakyProvider,
  createProviderChain,
  createScriptedProvider,
  ProviderError,
  type ModelProvider,
} from './providers'
import { ALICE, askAndWait, createTestGateway } from './testHelpers'

/** A provider that answers every call with `text`, split into words, and counts its calls. */
function fixedProvider(name: string, text: string): ModelProvider & { calls: number } {
  const provider = {
    name,
    calls: 0,
    async *stream() {
      provider.calls += 1
      yield* text.match(/\s*\S+/g) ?? []
    },
  }
  return provider
}

function failingProvider(name: string, error: unknown): ModelProvider & { calls: number } {
  const provider = {
    name,
    calls: 0,
    // eslint-disable-next-line require-yield
    async *stream(): AsyncGenerator<string> {
      provider.calls += 1
      throw error
    },
  }
  return provider
}

async function complete(model: { stream: ModelProvider['stream'] }, signal = new AbortController().signal): Promise<string> {
  let text = ''
  for await (const delta of model.stream('prompt', signal)) text += delta
  return text
}

describe('CircuitBreaker', () => {
  it('opens after N failures within the window, not for failures spread wider', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, windowMs: 1_000, cooldownMs: 500 })
    breaker.failure(0)
    breaker.failure(600)
    breaker.failure(1_200) // the first one has left the window
    expect(breaker.state(1_200)).toBe('closed')
    breaker.failure(1_300)
    expect(breaker.state(1_300)).toBe('open')
    expect(breaker.tryAcquire(1_300)).toBe(false)
  })

  it('keeps counting failures across successes, so a provider failing every other call trips it', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, windowMs: 1_000 })
    breaker.failure(0)
    breaker.success()
    breaker.failure(10)
    expect(breaker.state(10)).toBe('open')
  })

  it('half-opens after the cool-down for exactly one trial call, and closes when it succeeds', () => {
    const changes: string[] = []
    const breaker = new CircuitBreaker({ failureThreshold: 1, windowMs: 1_000, cooldownMs: 500 }, (state) => changes.push(state))
    breaker.failure(0)
    expect(breaker.tryAcquire(499)).toBe(false)
    expect(breaker.tryAcquire(500)).toBe(true)
    expect(breaker.state(500)).toBe('half-open')
    expect(breaker.tryAcquire(501)).toBe(false) // the trial is still running
    breaker.success()
    expect(breaker.state(502)).toBe('closed')
    expect(changes).toEqual(['open', 'half-open', 'closed'])
  })

  it('opens again with a fresh cool-down when the trial fails', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, windowMs: 1_000, cooldownMs: 500 })
    breaker.failure(0)
    expect(breaker.tryAcquire(500)).toBe(true)
    breaker.failure(600)
    expect(breaker.state(1_000)).toBe('open')
    expect(breaker.tryAcquire(1_099)).toBe(false)
    expect(breaker.tryAcquire(1_100)).toBe(true)
  })

  it('lets the next caller try when a trial was cancelled', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 0 })
    breaker.failure(0)
    expect(breaker.tryAcquire(0)).toBe(true)
    breaker.release()
    expect(breaker.tryAcquire(0)).toBe(true)
  })

  it('rejects settings that make no sense', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError)
    expect(() => new CircuitBreaker({ cooldownMs: -1 })).toThrow(RangeError)
  })
})

describe('createFlakyProvider', () => {
  it('fails exactly the given share of calls, evenly and the same way every time', async () => {
    const flaky = createFlakyProvider(fixedProvider('inner', 'ok'), { failureRate: 0.5 })
    const outcomes: string[] = []
    for (let call = 0; call < 6; call += 1) outcomes.push(await complete(flaky).then(() => 'ok', (error: ProviderError) => error.code))
    expect(outcomes).toEqual(['ok', 'A1008', 'ok', 'A1008', 'ok', 'A1008'])
    expect(flaky.failures).toBe(3)
  })

  it('can fail mid-stream and with another kind', async () => {
    const flaky = createFlakyProvider(fixedProvider('inner', 'one two three'), { failWhen: () => true, afterDeltas: 2, kind: 'bad_output' })
    const seen: string[] = []
    await expect(
      (async () => {
        for await (const delta of flaky.stream('prompt', new AbortController().signal)) seen.push(delta)
      })(),
    ).rejects.toMatchObject({ code: 'A6000' })
    expect(seen).toEqual(['one', ' two'])
  })
})

describe('createProviderChain', () => {
  it('falls back to the next provider and reports which one answered', async () => {
    const events: string[] = []
    const chain = createProviderChain([failingProvider('primary', new ProviderError('unavailable', 'down')), fixedProvider('backup', 'hi there')])
    let text = ''
    for await (const delta of chain.stream('prompt', new AbortController().signal, {
      answeredBy: (name) => events.push(`answered ${name}`),
      failed: (name, code) => events.push(`failed ${name} ${code}`),
    })) {
      text += delta
    }
    expect(text).toBe('hi there')
    expect(events).toEqual(['failed primary A1008', 'answered backup'])
  })

  it('never passes on half a completion when a provider breaks off mid-stream', async () => {
    const chain = createProviderChain([
      createFlakyProvider(fixedProvider('primary', 'PRIMARY PRIMARY PRIMARY'), { failWhen: () => true, afterDeltas: 1 }),
      fixedProvider('backup', 'the whole answer'),
    ])
    expect(await complete(chain)).toBe('the whole answer')
  })

  it('skips a provider whose circuit is open and tries it again after the cool-down', async () => {
    let now = 0
    const primary = failingProvider('primary', new ProviderError('unavailable', 'down'))
    const backup = fixedProvider('backup', 'ok')
    const chain = createProviderChain([primary, backup], { breaker: { failureThreshold: 2, cooldownMs: 1_000 }, now: () => now })
    await complete(chain)
    await complete(chain)
    expect(chain.status()[0]).toMatchObject({ name: 'primary', state: 'open' })
    await complete(chain)
    expect(primary.calls).toBe(2)
    now = 1_000
    expect(chain.status()[0]?.state).toBe('half-open')
    await complete(chain)
    expect(primary.calls).toBe(3)
    expect(backup.calls).toBe(4)
  })

  it('fails with the last failure when every provider fails, and A1008 when every circuit is open', async () => {
    const chain = createProviderChain(
      [failingProvider('a', new ProviderError('unavailable', 'down')), failingProvider('b', new ProviderError('rejected', 'HTTP 400'))],
      { breaker: { failureThreshold: 1, cooldownMs: 60_000 } },
    )
    await expect(complete(chain)).rejects.toMatchObject({ code: 'A1001' })
    await expect(complete(chain)).rejects.toMatchObject({ code: 'A1008' })
  })

  it('counts a crash of a provider as unusable output (A6000)', async () => {
    const chain = createProviderChain([failingProvider('a', new TypeError('boom'))], { breaker: false })
    await expect(complete(chain)).rejects.toMatchObject({ code: 'A6000', provider: 'a' })
  })

  it('stops at once when the request is cancelled, without blaming the provider', async () => {
    const controller = new AbortController()
    const slow: ModelProvider = {
      name: 'slow',
      async *stream(_prompt, signal) {
        controller.abort(new DOMException('cancelled', 'AbortError'))
        signal.throwIfAborted()
        yield 'never'
      },
    }
    const backup = fixedProvider('backup', 'ok')
    const chain = createProviderChain([slow, backup], { breaker: { failureThreshold: 1 } })
    await expect(complete(chain, controller.signal)).rejects.toMatchObject({ name: 'AbortError' })
    expect(backup.calls).toBe(0)
    expect(chain.status()[0]?.state).toBe('closed')
  })
})

describe('providers in the gateway', () => {
  let gateway: Gateway | undefined
  let reference: Gateway | undefined
  afterEach(() => {
    gateway?.dispose()
    reference?.dispose()
    gateway = reference = undefined
  })

  it.each([
    ['rejected (HTTP 4xx)', 'A1001', new ProviderError('rejected', 'HTTP 401: invalid api key sk-secret')],
    ['unavailable (5xx, timeout)', 'A1008', new ProviderError('unavailable', 'HTTP 503 from http://10.0.0.1')],
    ['unusable output', 'A6000', new ProviderError('bad_output', 'not JSON: {"leak"')],
    ['a crash', 'A6000', new Error('internal detail')],
  ])('answers a provider failure (%s) with %s and its sentence, without the provider’s message', async (_kind, code, error) => {
    gateway = createTestGateway({ providers: [failingProvider('only', error)], breaker: false })
    const turn = await askAndWait(gateway, ALICE, { content: 'Summarize issue #1' })

    expect(turn.answer.errors).toEqual([`${ERROR_SENTENCES[code as keyof typeof ERROR_SENTENCES]} Error code: ${code}`])
    expect(turn.answer.content).toBe(ERROR_SENTENCES[code as keyof typeof ERROR_SENTENCES])
    expect(JSON.stringify(turn.messages)).not.toContain((error as Error).message)
  })

  it('answers A1008 while the only provider’s circuit is open', async () => {
    gateway = createTestGateway({ providers: [failingProvider('only', new ProviderError('rejected', 'HTTP 400'))], breaker: { failureThreshold: 1, cooldownMs: 60_000 } })
    expect((await askAndWait(gateway, ALICE, { content: 'hello' })).answer.errors[0]).toMatch(/A1001$/)
    expect((await askAndWait(gateway, ALICE, { content: 'hello' })).answer.errors[0]).toMatch(/A1008$/)
  })

  it('takes `model` as a one-provider chain and refuses `model` together with `providers`', () => {
    gateway = createTestGateway({ model: fixedProvider('x', 'y') })
    expect(gateway.providerStatus()).toEqual([{ name: 'x', state: 'closed', recentFailures: 0 }])
    expect(() => createTestGateway({ model: fixedProvider('x', 'y'), providers: [fixedProvider('z', 'y')] })).toThrow(TypeError)
  })

  it('provider failing 50% of calls: every question answered through the fallback, breaker opens and recovers', async () => {
    let clock = 0
    const records: AuditRecord[] = []
    const flaky = createFlakyProvider(createScriptedProvider('primary'), { failureRate: 0.5 })
    gateway = createTestGateway({
      providers: [flaky, createScriptedProvider('fallback')],
      breaker: { failureThreshold: 3, windowMs: 60_000, cooldownMs: 5_000 },
      now: () => clock,
      audit: (record) => records.push(record),
      timing: { chunkSize: 400 },
    })
    reference = createTestGateway({ timing: { chunkSize: 400 } })
    const questions = [
      { content: 'Summarize this issue', resourceId: 'gid://gitlab/Issue/1' },
      { content: 'How do I configure a pipeline?' },
      { content: 'What does MR !1 change?' },
      { content: 'Which issues are in epic &1?' },
      { content: 'hello' },
    ]
    const expected = new Map<string, string>()
    for (const question of questions) expected.set(question.content, (await askAndWait(reference, ALICE, question)).answer.content)

    const states: string[] = []
    for (let round = 0; round < 40; round += 1) {
      clock += 1_000
      const question = questions[round % questions.length] ?? { content: 'hello' }
      const { answer } = await askAndWait(gateway, ALICE, question)
      expect(answer.errors).toEqual([])
      expect(answer.content).toBe(expected.get(question.content))
      states.push(gateway.providerStatus()[0]?.state ?? 'missing')
    }

    expect(flaky.calls).toBeGreaterThan(10)
    expect(flaky.failures).toBe(Math.floor(flaky.calls / 2))
    const circuit = records
      .filter((record): record is ProviderCircuitAuditRecord => record.event === 'provider_circuit' && record.provider === flaky.name)
      .map((record) => record.state)
    expect(circuit.slice(0, 3)).toEqual(['open', 'half-open', 'closed'])
    expect(circuit.filter((state) => state === 'open').length).toBeGreaterThanOrEqual(2)
    expect(states).toContain('open')
    expect(states.lastIndexOf('closed')).toBeGreaterThan(states.indexOf('open'))
    const answers = records.filter((record): record is AiActionAuditRecord => record.event === 'ai_action')
    expect(answers).toHaveLength(40)
    expect(answers.every((record) => record.outcome === 'answered')).toBe(true)
    expect(answers.some((record) => record.failovers > 0 && record.providers.includes('fallback'))).toBe(true)
    expect(answers.some((record) => record.failovers === 0 && record.providers.includes('fallback'))).toBe(true) // skipped while open
  })
})
