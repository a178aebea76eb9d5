import { reactive } from 'vue'
import { CommandQueue, type QueuedCommand } from './commandQueue'
import type { ContextItem } from './contexts'

/** The one queue of host commands; `sendDuoChatCommand` feeds it, the mounted drawer runs it. */
export const commandQueue = new CommandQueue((resourceId) => (resourceId === duoChatGlobalState.resourceId ? duoChatGlobalState.resourceTitle : null))

/** State a host app shares with the drawer; usable before any Vue app mounts. */
export interface DuoChatGlobalState {
  /** Whether the drawer is open. Set it from any button. */
  isShown: boolean
  /** Global id of the resource the host page shows (`gid://gitlab/Issue/1`); questions are about it. */
  resourceId: string | null
  /** Title of the page's resource for its chip. @default derived from the id, e.g. "Issue 1" */
  resourceTitle: string | null
  /** Context the host attaches; each is a chip the user can remove before sending. */
  contexts: ContextItem[]
  /** Commands from `sendDuoChatCommand` that wait or run, oldest first (read-only). */
  readonly commands: readonly QueuedCommand[]
}

export const duoChatGlobalState: DuoChatGlobalState = reactive({
  isShown: false,
  resourceId: null,
  resourceTitle: null,
  contexts: [],
  commands: commandQueue.commands,
})

/** Requests from outside the drawer that are not state, e.g. "focus the prompt". */
export const drawerRequests = reactive({ focus: 0 })

/** Opens the drawer and puts the keyboard focus in the prompt. */
export function focusChatInput(): void {
  duoChatGlobalState.isShown = true
  drawerRequests.focus += 1
}
