/**
 * The scripted model's answer templates. Each one is built only from what the prompt holds
 * (tool observations, attached context, the question), so an answer never mentions anything the
 * asking user could not read, and every item answer ends by naming the item.
 */
import { searchTerms } from './docsSearch'
import { diffStats, lead, plainText, plural, sentences, truncate, type DiffFileStat } from './markdownSummary'

interface CommentObservation {
  author: string
  body: string
}

/** What issue_reader observes. */
export interface IssueObservation {
  type: 'issue'
  reference: string
  title: string
  state: string
  labels: string[]
  author: string
  assignees: string[]
  description: string
  comments: CommentObservation[]
}

/** What epic_reader observes. */
export interface EpicObservation {
  type: 'epic'
  reference: string
  title: string
  state: string
  description: string
  childIssues: { reference: string; title: string; state: string }[]
  comments: CommentObservation[]
}

/** What merge_request_reader observes. */
export interface MergeRequestObservation {
  type: 'merge_request'
  reference: string
  title: string
  state: string
  sourceBranch: string
  targetBranch: string
  description: string
  diff: string
  comments: CommentObservation[]
}

/** What gitlab_documentation observes. */
export interface DocumentationObservation {
  type: 'documentation'
  query: string
  pages: { title: string; url: string; content: string }[]
}

/** Any observation the model knows how to use. */
export type Observation = IssueObservation | EpicObservation | MergeRequestObservation | DocumentationObservation

const OBSERVATION_TYPES = new Set(['issue', 'epic', 'merge_request', 'documentation'])

/** The observation in a scratchpad entry, or null for text the model can't use (e.g. a tool error). */
export function readObservation(text: string): Observation | null {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === 'object' && value !== null && OBSERVATION_TYPES.has((value as { type?: unknown }).type as string)) {
      return value as Observation
    }
  } catch {
    // Not JSON: an observation the agent wrote itself, such as "there is no tool named ...".
  }
  return null
}

/** A slash command at the start of the question, e.g. `/explain`. */
export interface SlashCommand {
  name: string
  rest: string
}

function state(value: string): string {
  return value === 'opened' ? 'open' : value
}

function codeList(values: readonly string[]): string {
  return values.length > 0 ? values.map((value) => `\`${value}\``).join(', ') : 'none'
}

function commentLines(comments: readonly CommentObservation[]): string[] {
  return comments.map((comment) => `  - ${comment.author}: ${truncate(sentences(comment.body)[0] ?? comment.body, 140)}`)
}

function changeLines(files: readonly DiffFileStat[]): string[] {
  return files.map((file) => `- \`${file.path}\` (+${file.added} −${file.removed})`)
}

function changeSummary(files: readonly DiffFileStat[]): string {
  const added = files.reduce((sum, file) => sum + file.added, 0)
  const removed = files.reduce((sum, file) => sum + file.removed, 0)
  return `${plural(files.length, 'file')}, +${added} −${removed}`
}

/** Answers about one issue: what it reports, where it stands and what the comments say. */
export function answerIssue(issue: IssueObservation, command: SlashCommand | null): string {
  const intro =
    command?.name === 'summarize_comments'
      ? `Here is a summary of the discussion on issue ${issue.reference}:`
      : command?.name === 'explain'
        ? `Here is an explanation of issue ${issue.reference}:`
        : `Here is a summary of issue ${issue.reference}:`
  const lines = [
    intro,
    '',
    `- **State:** ${state(issue.state)} · **Labels:** ${codeList(issue.labels)}`,
    `- **Reported by:** ${issue.author} · **Assignees:** ${issue.assignees.join(', ') || 'nobody yet'}`,
    `- **Problem:** ${lead(issue.description)}`,
  ]
  if (issue.comments.length > 0) {
    lines.push(`- **Discussion:** ${plural(issue.comments.length, 'comment')}:`, ...commentLines(issue.comments))
  } else {
    lines.push('- **Discussion:** no comments yet.')
  }
  lines.push('', `**Issue:** ${issue.title}`)
  return lines.join('\n')
}

/** Answers about one epic: its goal and the child issues this user can see. */
export function answerEpic(epic: EpicObservation): string {
  const lines = [`Here is an overview of epic ${epic.reference} (${state(epic.state)}):`, '', lead(epic.description), '']
  if (epic.childIssues.length > 0) {
    lines.push(`**Child issues** (${epic.childIssues.length}):`, '')
    epic.childIssues.forEach((child, index) => {
      lines.push(`${index + 1}. ${child.reference} ${child.title} (${state(child.state)})`)
    })
  } else {
    lines.push('It has no child issues that you can see.')
  }
  const last = epic.comments[epic.comments.length - 1]
  if (last) lines.push('', `**Latest comment:** ${last.author}: ${truncate(plainText(last.body), 200)}`)
  lines.push('', `**Epic:** ${epic.title}`)
  return lines.join('\n')
}

/** Answers about one merge request: intent, changed files and review state. */
export function answerMergeRequest(mergeRequest: MergeRequestObservation, command: SlashCommand | null): string {
  const files = diffStats(mergeRequest.diff)
  const intro =
    command?.name === 'explain'
      ? `Merge request ${mergeRequest.reference} merges \`${mergeRequest.sourceBranch}\` into \`${mergeRequest.targetBranch}\`. Here is what it does and why:`
      : `Merge request ${mergeRequest.reference} (${state(mergeRequest.state)}) proposes merging \`${mergeRequest.sourceBranch}\` into \`${mergeRequest.targetBranch}\`.`
  const purpose = sentences(mergeRequest.description)
    .filter((sentence) => !/^(closes|fixes|resolves)\s+[#!&]?\d+/i.test(sentence))
    .slice(0, 2)
    .join(' ')
  const lines = [intro, '', purpose, '', `**Changes** (${changeSummary(files)}):`, ...changeLines(files)]
  if (mergeRequest.comments.length > 0) {
    lines.push('', `**Review:** ${plural(mergeRequest.comments.length, 'comment')}:`, ...commentLines(mergeRequest.comments))
  }
  lines.push('', `**Merge request:** ${mergeRequest.title}`)
  return lines.join('\n')
}

/** Answers from documentation pages: the sentences that match the question, each page cited. */
export function answerDocumentation(docs: DocumentationObservation, question: string): string {
  const terms = new Set(searchTerms(question))
  const lines = ['According to the GitLab documentation:', '']
  for (const page of docs.pages) {
    const all = sentences(page.content)
    const relevant = all.filter((sentence) => searchTerms(sentence).some((term) => terms.has(term))).slice(0, 3)
    const chosen = relevant.length > 0 ? relevant : all.slice(0, 2)
    lines.push(`- **${page.title}:** ${chosen.join(' ')} ([${page.title}](${page.url}))`)
  }
  return lines.join('\n')
}

/**
 * Answers about a merge request from the context the client attached, with no reader call:
 * the title from `metadata.title` or the first heading line, and the diff if the content has one.
 */
export function answerFromMergeRequestContext(content: string, metadata: unknown): string {
  const metadataTitle =
    typeof metadata === 'object' && metadata !== null && typeof (metadata as { title?: unknown }).title === 'string'
      ? (metadata as { title: string }).title
      : null
  const lines = content.split('\n')
  const titleLine = lines.find((line) => /^\s*(#+\s+|title:\s*)/i.test(line)) ?? lines.find((line) => line.trim() !== '')
  const title = metadataTitle ?? plainText((titleLine ?? 'this merge request').replace(/^\s*title:\s*/i, ''))
  const diffStart = content.search(/^diff --git /m)
  const prose = diffStart >= 0 ? content.slice(0, diffStart) : content
  const summary = sentences(prose.split('\n').filter((line) => line !== titleLine).join('\n')).slice(0, 2).join(' ')
  const files = diffStart >= 0 ? diffStats(content.slice(diffStart)) : []
  const answer = ['Based on the merge request you shared:', '']
  if (summary) answer.push(summary, '')
  if (files.length > 0) answer.push(`**Changes** (${changeSummary(files)}):`, ...changeLines(files), '')
  answer.push(`**Merge request:** ${title}`)
  return answer.join('\n')
}

/** Answers a code command (`/explain`, `/refactor`, `/tests`, `/fix`) about selected code. */
export function answerCode(code: string, fileName: string | null, command: SlashCommand | null): string {
  const lines = code.split('\n').filter((line) => line.trim() !== '')
  const names = [...new Set([...code.matchAll(/\b(?:function|class|def|const|let)\s+([A-Za-z_$][\w$]*)/g)].map((match) => match[1] ?? ''))]
  const where = fileName ? ` in \`${fileName}\`` : ''
  const intro: Record<string, string> = {
    explain: `Here is what the selected code${where} does:`,
    refactor: `Here is how the selected code${where} could be refactored:`,
    tests: `Here are tests worth writing for the selected code${where}:`,
    fix: `Here is what to check to fix the selected code${where}:`,
  }
  const answer = [intro[command?.name ?? 'explain'] ?? intro.explain ?? '', '']
  answer.push(`- It spans ${plural(lines.length, 'line')} of code.`)
  if (names.length > 0) answer.push(`- It defines ${names.map((name) => `\`${name}\``).join(', ')}.`)
  answer.push(`- It starts with \`${truncate(lines[0]?.trim() ?? '', 80)}\`.`)
  return answer.join('\n')
}

/** Answers the chat's own commands, which need no item: `/help`, and `/clear`, `/reset`, `/new` when a client forwards them. */
export function answerChatCommand(command: SlashCommand): string | null {
  switch (command.name) {
    case 'help':
      return [
        'You can ask me about issues, epics and merge requests, or about how to use GitLab. These commands work too:',
        '',
        '- `/explain`: explain the selected code or the issue, epic or merge request you are viewing',
        '- `/summarize_comments`: summarize the discussion on the issue you are viewing',
        '- `/refactor`, `/tests`, `/fix`: help with the selected code',
        '- `/new`: start a new conversation',
      ].join('\n')
    case 'clear':
    case 'reset':
    case 'new':
      return 'To start over, select **New chat**. Your earlier conversations stay in the history.'
    default:
      return null
  }
}

/** Answers a code or item command that has nothing to work on. */
export function answerCommandWithoutTarget(command: SlashCommand): string {
  return `\`/${command.name}\` needs something to work on: select some code, or open an issue, epic or merge request, then run it again.`
}

const GREETING = /^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/i
const THANKS = /^\s*(thanks|thank you|cheers)\b/i

/** A short greeting or thanks: answered directly even on an item's page. */
export function isSmallTalk(question: string): boolean {
  // "Hello, can you summarize this issue?" is a real question that happens to start politely.
  const short = question.trim().split(/\s+/).length <= 4
  return short && (GREETING.test(question) || THANKS.test(question))
}

/** How the reply to a question the model can't place begins (the scripted grader looks for it). */
export const UNPLACED_QUESTION_LEAD =
  "I can answer questions about the issues, epics and merge requests you can see, and about how to use GitLab, but I couldn't tell what this question is about."

/** Answers questions that need no tool: greetings, thanks, and questions it can't place. */
export function answerDirectly(question: string): string {
  if (GREETING.test(question)) {
    return "Hello! I'm GitLab Duo Chat. Ask me about an issue, an epic or a merge request (for example *summarize issue #1*), or about how to do something in GitLab."
  }
  if (THANKS.test(question)) return "You're welcome! Let me know if there is anything else I can help with."
  return [
    UNPLACED_QUESTION_LEAD,
    '',
    '- Name an item, for example `issue #1`, `epic &1` or `MR !1`.',
    '- Or ask how to do something, for example *How do I configure a pipeline?*',
  ].join('\n')
}

/**
 * Answers a question about one issue's people directly ("who reported it?", "who is assigned?");
 * null for any other question, which gets the summary.
 */
export function answerIssueQuestion(issue: IssueObservation, question: string): string | null {
  if (/\bwho\b[^?]*\b(report|reported|opened|created|filed|wrote|raised)\b/i.test(question)) {
    return `Issue ${issue.reference} was reported by ${issue.author}.\n\n**Issue:** ${issue.title}`
  }
  if (/\b(who\b[^?]*\bassigned|assignees?)\b/i.test(question)) {
    const who = issue.assignees.length > 0 ? issue.assignees.join(', ') : 'nobody yet'
    return `Issue ${issue.reference} is assigned to ${who}.\n\n**Issue:** ${issue.title}`
  }
  return null
}

/** A context item a page's provider gave, as the model sees it. */
export interface ProvidedItem {
  id: string
  category: string
  content: string
  provider: string
}

/** Answers from what the page's context providers gave, when nothing else answers the question. */
export function answerFromProvidedContext(items: readonly ProvidedItem[]): string {
  const lines = ['Based on the context your page provided:', '']
  for (const item of items) {
    const title = item.id || item.category.toLowerCase()
    lines.push(`- **${title}** (from \`${item.provider}\`): ${truncate(lead(item.content) || plainText(item.content), 300)}`)
  }
  return lines.join('\n')
}
