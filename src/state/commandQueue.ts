import { checkChatVariables } from '../transport/chatVariables'
import { shallowRef, type ShallowRef } from 'vue'
import { DuoChatError } from '../transport/errors'
import { commandChips, normalizeContexts, type ContextItem } from './contexts'
import type { ChatAnswer, ChatOutcome } from './types'

/** A pre-filled prompt a host app launches, e.g. "Explain this issue". */
export interface DuoChatCommand {
  /** The prompt, e.g. `/explain` or a full question. */
  question: string
  /** Global id of the resource it is about, e.g. `gid://gitlab/Issue/1`. */
  resourceId: string
  /** Extra variables passed through to the `aiAction` mutation. */
  variables?: Record<string, unknown>
  /** Context sent with the question, the same items as `duoChatGlobalState.contexts`; shown as chips. */
  contexts?: ContextItem[]
  /** Start a new conversation before asking. @default false */
  newChat?: boolean
}

/** A command as the queue shows it: `duoChatGlobalState.commands`. */
export interface QueuedCommand {
  readonly id: string
  readonly question: string
  readonly resourceId: string
  /** Its chips, so the user sees what goes with it: the resource, then the command's context. */
  readonly contexts: readonly ContextItem[]
  readonly status: 'queued' | 'running'
}

/** A command's state changed: the host's `command` events are made from these. */
export interface CommandChange {
  phase: 'queued' | 'started' | 'settled'
  command: QueuedCommand
  /** How it settled (phase `settled`). */
  outcome?: 'answered' | 'error' | 'cancelled'
}

/** Runs one command to its final state; the store implements it. */
export interface CommandExecutor {
  run(command: DuoChatCommand, signal: AbortSignal): Promise<ChatOutcome>
}

interface Entry {
  view: QueuedCommand
  command: DuoChatCommand
  controller: AbortController
  resolve: (answer: ChatAnswer) => void
  reject: (error: unknown) => void
}

/**
 * First in, first out, one at a time: the next command starts only when the previous one reached
 * a final state. Commands wait while no drawer is mounted to run them.
 */
export class CommandQueue {
  /** @param resourceTitle - the title a resource's chip shows, when the host gave one */
  constructor(private readonly resourceTitle: (resourceId: string) => string | null | undefined = () => null) {}

  private readonly entries: Entry[] = []
  private executor: CommandExecutor | null = null
  private running = false
  private nextId = 1
  private readonly listeners = new Set<(change: CommandChange) => void>()

  /** Hears every command being queued, started and settled; returns the function that stops it. */
  observe(listener: (change: CommandChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private tell(change: CommandChange): void {
    for (const listener of this.listeners) {
      // A host's event handler must not break the queue.
      try {
        listener(change)
      } catch (error) {
        console.warn('[duo-chat-drawer]: a command listener threw.', error)
      }
    }
  }

  /**
   * Reactive, read-only list of the commands waiting or running. Replaced, never mutated, so that
   * a burst of commands costs one cheap array copy per change instead of reactive splices.
   */
  readonly commands: ShallowRef<readonly QueuedCommand[]> = shallowRef([])

  enqueue(command: DuoChatCommand): Promise<ChatAnswer> {
    return new Promise<ChatAnswer>((resolve, reject) => {
      const view: QueuedCommand = Object.freeze({
        id: `command-${this.nextId++}`,
        question: command.question,
        resourceId: command.resourceId,
        contexts: Object.freeze(commandChips(command.resourceId, command.contexts ?? [], this.resourceTitle(command.resourceId))),
        status: 'queued',
      })
      this.entries.push({ view, command, controller: new AbortController(), resolve, reject })
      this.commands.value = [...this.commands.value, view]
      this.tell({ phase: 'queued', command: view })
      void this.drain()
    })
  }

  /** Removes a command: a waiting one never runs, a running one is stopped. Both reject with AbortError. */
  remove(id: string): void {
    const entry = this.entries.find((e) => e.view.id === id)
    if (!entry) return
    if (entry.view.status === 'running') {
      entry.controller.abort()
      return
    }
    this.forget(entry)
    this.tell({ phase: 'settled', command: entry.view, outcome: 'cancelled' })
    entry.reject(abortError())
  }

  /** Stops the running command and drops every waiting one. */
  clear(): void {
    for (const entry of [...this.entries]) this.remove(entry.view.id)
  }

  /** Sets who runs the commands (the mounted drawer's store), or null while none is mounted. */
  setExecutor(executor: CommandExecutor | null): void {
    this.executor = executor
    void this.drain()
  }

  private async drain(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      for (let entry = this.entries[0]; entry && this.executor; entry = this.entries[0]) {
        const running: QueuedCommand = Object.freeze({ ...entry.view, status: 'running' })
        this.commands.value = this.commands.value.map((v) => (v === entry!.view ? running : v))
        entry.view = running
        this.tell({ phase: 'started', command: running })
        let outcome: CommandChange['outcome'] = 'answered'
        try {
          entry.resolve(settleCommand(await this.executor.run(entry.command, entry.controller.signal)))
        } catch (error) {
          outcome = error instanceof DOMException && error.name === 'AbortError' ? 'cancelled' : 'error'
          entry.reject(error)
        } finally {
          this.forget(entry)
          this.tell({ phase: 'settled', command: entry.view, outcome })
        }
      }
    } finally {
      this.running = false
    }
  }

  private forget(entry: Entry): void {
    const at = this.entries.indexOf(entry)
    if (at >= 0) this.entries.splice(at, 1)
    this.commands.value = this.commands.value.filter((v) => v.id !== entry.view.id)
  }
}

/** The error a cancelled command rejects with, as `fetch` does. */
export function abortError(): DOMException {
  return new DOMException('The command was cancelled.', 'AbortError')
}

/** Checks a command's arguments; the error names the argument that is wrong. */
export function validateCommand(command: unknown): asserts command is DuoChatCommand {
  if (typeof command !== 'object' || command === null) {
    throw new TypeError('[duo-chat-drawer]: sendDuoChatCommand() expects an object: { question, resourceId }.')
  }
  const { question, resourceId } = command as Record<string, unknown>
  if (typeof question !== 'string' || !question.trim()) {
    throw new TypeError('[duo-chat-drawer]: sendDuoChatCommand() needs a "question", e.g. "/explain".')
  }
  if (typeof resourceId !== 'string' || !resourceId.trim()) {
    throw new TypeError('[duo-chat-drawer]: sendDuoChatCommand() needs a "resourceId", e.g. "gid://gitlab/Issue/1".')
  }
  checkChatVariables((command as Record<string, unknown>).variables)
}

/**
 * Checks a command and copies it with its context normalized (see {@link normalizeContexts}), so
 * the queue holds what the host meant at the time of the call.
 */
export function normalizeCommand(command: unknown): DuoChatCommand {
  validateCommand(command)
  const contexts = normalizeContexts(command.contexts, 'sendDuoChatCommand() "contexts"')
  return { ...command, contexts }
}

/** Turns a finished answer into the command's result: errors reject with their code. */
export function settleCommand(answer: ChatOutcome): ChatAnswer {
  if (answer.status === 'stopped') throw abortError()
  if (answer.errors.length) {
    throw new DuoChatError(answer.errors.join(' '), { kind: 'server' })
  }
  const { requestId, threadId, content, errors } = answer
  return { requestId, threadId, content, errors }
}
