import { reactive } from 'vue'

/** State a host app shares with the drawer; usable before any Vue app mounts. */
export interface DuoChatGlobalState {
  /** Whether the drawer is open. Set it from any button. */
  isShown: boolean
  /** Global id of the resource the host page shows (`gid://gitlab/Issue/1`); questions are about it. */
  resourceId: string | null
}

export const duoChatGlobalState: DuoChatGlobalState = reactive({
  isShown: false,
  resourceId: null,
})
