import { watch } from 'vue'
import type { DuoChatStore } from './chatStore'
import { abortError, normalizeCommand, type CommandExecutor, type DuoChatCommand } from './commandQueue'
import { commandQueue, duoChatGlobalState } from './globalState'
import type { ChatAnswer } from './types'

/**
 * Opens the drawer and queues a pre-filled prompt. Commands run one at a time, first in first
 * out; each resolves with its final answer, or rejects with the error (and its code) or an
 * AbortError when it is stopped or removed. Calls may be chained freely.
 *
 * @example
 * const answer = await sendDuoChatCommand({ question: '/explain', resourceId: 'gid://gitlab/Issue/1' })
 */
export function sendDuoChatCommand(command: DuoChatCommand): Promise<ChatAnswer> {
  const checked = normalizeCommand(command)
  duoChatGlobalState.isShown = true
  return commandQueue.enqueue(checked)
}

/** Lets the store run queued commands; a question the user typed finishes first. */
export function createCommandExecutor(store: DuoChatStore): CommandExecutor {
  return {
    async run(command, signal) {
      await untilIdle(store, signal)
      if (command.newChat) store.newChat()
      const answered = store.sendQuestion(command.question, {
        resourceId: command.resourceId,
        contexts: command.contexts ?? [],
        variables: command.variables,
      })
      const stop = () => store.stop()
      signal.addEventListener('abort', stop, { once: true })
      try {
        return await answered
      } finally {
        signal.removeEventListener('abort', stop)
      }
    },
  }
}

function untilIdle(store: DuoChatStore, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError())
  if (!store.isBusy) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const stopWatching = watch(
      () => store.isBusy,
      (busy) => {
        if (busy) return
        signal.removeEventListener('abort', onAbort)
        stopWatching()
        resolve()
      },
    )
    const onAbort = () => {
      stopWatching()
      reject(abortError())
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
