/** A slash command offered by the "/" menu. */
export interface SlashCommand {
  name: string
  description: string
  /** Handled in the drawer without a request to the gateway. */
  local?: boolean
}

/** The commands of GitLab Duo Chat that the drawer knows. */
export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: '/include', description: 'Attach an issue, merge request or file as context', local: true },
  { name: '/explain', description: 'Explain the code in the attached context' },
  { name: '/tests', description: 'Write tests for the code in the attached context' },
  { name: '/refactor', description: 'Refactor the code in the attached context' },
  { name: '/fix', description: 'Fix the code in the attached context' },
  { name: '/clear', description: 'Start a new conversation', local: true },
  { name: '/reset', description: 'Start a new conversation', local: true },
  { name: '/new', description: 'Start a new conversation', local: true },
  { name: '/help', description: 'List the commands', local: true },
]

/** Commands that start a new conversation without a request. */
export const NEW_CONVERSATION_COMMANDS = new Set(['/clear', '/reset', '/new'])

/** The commands whose name starts with what was typed after "/". */
export function matchCommands(typed: string, commands: readonly SlashCommand[] = SLASH_COMMANDS): SlashCommand[] {
  const prefix = typed.toLowerCase()
  return commands.filter((command) => command.name.startsWith(prefix))
}

/** The draft's menu: the command list while typing "/name", the context search after "/include ". */
export function promptMenuFor(draft: string): { kind: 'commands'; typed: string } | { kind: 'include'; query: string } | null {
  const include = /^\/include\s+(.*)$/s.exec(draft)
  if (include) return { kind: 'include', query: include[1]!.trim() }
  if (/^\/\S*$/.test(draft)) return { kind: 'commands', typed: draft }
  return null
}

/**
 * Whether the draft is a command typed in full, which Enter runs rather than completes ("/clear",
 * "/explain"). `/include` is the exception: it runs by picking what to include.
 */
export function isCompleteCommand(draft: string, commands: readonly SlashCommand[] = SLASH_COMMANDS): boolean {
  const name = draft.trim().toLowerCase()
  return name !== '/include' && commands.some((command) => command.name === name)
}
