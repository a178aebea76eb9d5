/**
 * The `variables` a host may pass with `sendDuoChatCommand()`: every field of GitLab's
 * `AiActionInput` and `AiChatInput` that the drawer does not fill in itself. The chat mutation
 * declares each of them, so each reaches GitLab as given.
 */
export const HOST_CHAT_VARIABLES = [
  // AiChatInput
  'agentVersionId',
  'currentFile',
  'namespaceId',
  // AiActionInput
  'clientMutationId',
  'conversationType',
  'platformOrigin',
  'projectId',
] as const

/** Fields the drawer fills in from the command itself, and where a host sets them instead. */
const SET_BY_THE_DRAWER: Record<string, string> = {
  content: 'the command\'s "question"',
  question: 'the command\'s "question"',
  resourceId: 'the command\'s "resourceId"',
  additionalContext: 'the command\'s "contexts"',
  threadId: 'the command\'s "newChat" (the drawer keeps the thread)',
  clientSubscriptionId: 'nothing: the drawer makes one per question',
  chat: 'the command\'s "question", "resourceId" and "contexts"',
}

/**
 * Throws a TypeError naming any variable GitLab's chat input does not have (or one the drawer
 * sets), so that a typo is not silently dropped.
 */
export function checkChatVariables(variables: unknown, caller = 'sendDuoChatCommand()'): void {
  if (variables === undefined) return
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    throw new TypeError(`[duo-chat-drawer]: ${caller} "variables" must be an object of AiActionInput/AiChatInput fields.`)
  }
  for (const name of Object.keys(variables)) {
    if ((HOST_CHAT_VARIABLES as readonly string[]).includes(name)) continue
    const instead = SET_BY_THE_DRAWER[name]
    throw new TypeError(
      instead
        ? `[duo-chat-drawer]: ${caller} "variables.${name}" is set by the drawer; use ${instead}.`
        : `[duo-chat-drawer]: ${caller} "variables.${name}" is not a field of GitLab's AiActionInput or AiChatInput. Known: ${HOST_CHAT_VARIABLES.join(', ')}.`,
    )
  }
}
