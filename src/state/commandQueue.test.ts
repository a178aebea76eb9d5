import { describe, expect, it } from 'vitest'
import { CommandQueue, type CommandExecutor, type DuoChatCommand } from './commandQueue'
import type { ChatOutcome } from './types'

/** An executor whose runs the test finishes by hand, recording the order they started in. */
function manualExecutor() {
  const started: { command: DuoChatCommand; signal: AbortSignal; finish: (outcome: Partial<ChatOutcome>) => void; fail: (e: unknown) => void }[] = []
  const executor: CommandExecutor = {
    run: (command, signal) =>
      new Promise<ChatOutcome>((resolve, reject) => {
        const finish = (outcome: Partial<ChatOutcome>) =>
          resolve({ requestId: `r-${command.question}`, threadId: 't', content: `answer to ${command.question}`, errors: [], status: 'complete', ...outcome })
        started.push({ command, signal, finish, fail: reject })
        signal.addEventListener('abort', () => finish({ status: 'stopped' }))
      }),
  }
  return { executor, started }
}

const command = (question: string): DuoChatCommand => ({ question, resourceId: 'gid://gitlab/Issue/1' })
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('CommandQueue', () => {
  it('runs one command at a time, first in first out', async () => {
    const queue = new CommandQueue()
    const { executor, started } = manualExecutor()
    queue.setExecutor(executor)
    const first = queue.enqueue(command('one'))
    const second = queue.enqueue(command('two'))
    await tick()
    expect(started.map((s) => s.command.question)).toEqual(['one'])
    expect(queue.commands.value.map((c) => [c.question, c.status])).toEqual([
      ['one', 'running'],
      ['two', 'queued'],
    ])
    started[0]!.finish({})
    await expect(first).resolves.toMatchObject({ content: 'answer to one' })
    await tick()
    expect(started.map((s) => s.command.question)).toEqual(['one', 'two'])
    started[1]!.finish({})
    await expect(second).resolves.toMatchObject({ content: 'answer to two' })
    expect(queue.commands.value).toEqual([])
  })

  it('waits for an executor: commands sent before the drawer mounts run once it does', async () => {
    const queue = new CommandQueue()
    const answer = queue.enqueue(command('early'))
    await tick()
    expect(queue.commands.value.map((c) => c.status)).toEqual(['queued'])
    const { executor, started } = manualExecutor()
    queue.setExecutor(executor)
    await tick()
    started[0]!.finish({})
    await expect(answer).resolves.toMatchObject({ content: 'answer to early' })
  })

  it('rejects with the error and its code, and the next command still runs', async () => {
    const queue = new CommandQueue()
    const { executor, started } = manualExecutor()
    queue.setExecutor(executor)
    const failing = queue.enqueue(command('secret'))
    const next = queue.enqueue(command('after'))
    await tick()
    started[0]!.finish({ errors: ['No access. Error code: M3003'], status: 'error' })
    await expect(failing).rejects.toMatchObject({ name: 'DuoChatError', code: 'M3003' })
    await tick()
    started[1]!.finish({})
    await expect(next).resolves.toMatchObject({ content: 'answer to after' })
  })

  it('rejects with whatever the executor threw, without blocking the queue', async () => {
    const queue = new CommandQueue()
    const { executor, started } = manualExecutor()
    queue.setExecutor(executor)
    const broken = queue.enqueue(command('broken'))
    const next = queue.enqueue(command('next'))
    await tick()
    started[0]!.fail(new Error('network down'))
    await expect(broken).rejects.toThrow('network down')
    await tick()
    started[1]!.finish({})
    await expect(next).resolves.toBeDefined()
  })

  it('removing the running command stops it with an AbortError and releases the queue', async () => {
    const queue = new CommandQueue()
    const { executor, started } = manualExecutor()
    queue.setExecutor(executor)
    const first = queue.enqueue(command('one'))
    const second = queue.enqueue(command('two'))
    await tick()
    queue.remove(queue.commands.value[0]!.id)
    await expect(first).rejects.toMatchObject({ name: 'AbortError' })
    expect(started[0]!.signal.aborted).toBe(true)
    await tick()
    started[1]!.finish({})
    await expect(second).resolves.toMatchObject({ content: 'answer to two' })
  })

  it('removing a waiting command rejects it with an AbortError and it never runs', async () => {
    const queue = new CommandQueue()
    const { executor, started } = manualExecutor()
    queue.setExecutor(executor)
    const first = queue.enqueue(command('one'))
    const removed = queue.enqueue(command('two'))
    const third = queue.enqueue(command('three'))
    await tick()
    queue.remove(queue.commands.value[1]!.id)
    await expect(removed).rejects.toMatchObject({ name: 'AbortError' })
    started[0]!.finish({})
    await first
    await tick()
    started[1]!.finish({})
    await third
    expect(started.map((s) => s.command.question)).toEqual(['one', 'three'])
  })

  it('a timed-out command rejects with M1001 and the next one runs', async () => {
    const queue = new CommandQueue()
    const { executor, started } = manualExecutor()
    queue.setExecutor(executor)
    const slow = queue.enqueue(command('slow'))
    const next = queue.enqueue(command('next'))
    await tick()
    started[0]!.finish({ errors: ['GitLab Duo did not answer in time. Error code: M1001'], status: 'error' })
    await expect(slow).rejects.toMatchObject({ code: 'M1001' })
    await tick()
    started[1]!.finish({})
    await expect(next).resolves.toBeDefined()
  })

  it('answers a burst of 1,000 commands in order, none twice', async () => {
    const queue = new CommandQueue()
    const runs: string[] = []
    queue.setExecutor({
      run: async (c) => {
        runs.push(c.question)
        await Promise.resolve()
        return { requestId: c.question, threadId: null, content: `answer ${c.question}`, errors: [], status: 'complete' }
      },
    })
    const questions = Array.from({ length: 1000 }, (_, i) => `q${i}`)
    const order: string[] = []
    const answers = await Promise.all(questions.map((q) => queue.enqueue(command(q)).then((a) => (order.push(a.requestId), a))))
    expect(runs).toEqual(questions)
    expect(order).toEqual(questions)
    expect(answers.map((a) => a.content)).toEqual(questions.map((q) => `answer ${q}`))
    expect(queue.commands.value).toEqual([])
  })
})
