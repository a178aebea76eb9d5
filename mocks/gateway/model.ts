/**
 * The scripted model: a deterministic stand-in for the LLM behind GitLab's agent. It reads the
 * prompt the agent built (question, resource, attached context, scratchpad) and writes what a
 * good model would: a tool call while it lacks facts, then a final answer grounded in them.
 * The same prompt always gives the same completion.
 */
import {
  answerChatCommand,
  answerCode,
  answerCommandWithoutTarget,
  answerDirectly,
  answerDocumentation,
  answerEpic,
  answerFromMergeRequestContext,
  answerFromProvidedContext,
  answerIssue,
  answerIssueQuestion,
  answerMergeRequest,
  isSmallTalk,
  readObservation,
  type SlashCommand,
} from './modelAnswers'
import { decodeBase64, describeImage, readImageInfo } from './imageInfo'
import { parseGradePrompt, scriptedGrade } from './pipeline/grader'
import type { HistoryTurn } from './pipeline/historyContext'
import { parsePrompt, type ParsedPrompt } from './reactFormat'
import { parseGlobalId } from './permissions'

/** A language model as the agent uses it: a prompt in, a stream of text deltas out. */
export interface ChatModel {
  /**
   * Streams the completion of `prompt`; stops (rejecting or returning) once `signal` aborts.
   * `observer` hears which provider answered (provider chains call it; plain models may ignore it).
   */
  stream(prompt: string, signal: AbortSignal, observer?: ModelCallObserver): AsyncIterable<string>
}

/** What a provider chain reports about one model call (for the audit log). */
export interface ModelCallObserver {
  /** The provider whose completion is being returned. */
  answeredBy?(provider: string): void
  /** A provider failed with this code; the next one is tried. */
  failed?(provider: string, code: string): void
  /** A provider was skipped because its circuit is open. */
  skipped?(provider: string): void
}

/** A reader call the model would make for an item a question names. */
export interface PlannedAction {
  tool: string
  input: string
  thought: string
}

const READER_FOR_TYPE: Record<string, { tool: string; thought: string }> = {
  Issue: { tool: 'issue_reader', thought: 'I need to read the issue to answer this.' },
  Epic: { tool: 'epic_reader', thought: 'I need to read the epic to answer this.' },
  MergeRequest: { tool: 'merge_request_reader', thought: 'I need to read the merge request to answer this.' },
}

/** References people write in questions; each finds its items by position in the text. */
const REFERENCE_PATTERNS: { type: string; pattern: RegExp; toInput: (match: RegExpExecArray) => string }[] = [
  { type: 'gid', pattern: /gid:\/\/gitlab\/(?:Issue|Epic|MergeRequest)\/\d+/g, toInput: (match) => match[0] },
  {
    type: 'url',
    pattern: /https?:\/\/\S+?\/-\/(?:issues|merge_requests|epics)\/\d+/g,
    toInput: (match) => match[0],
  },
  { type: 'Issue', pattern: /(?<=^|[\s(])(?:[\w.-]+(?:\/[\w.-]+)+)?#\d+\b/g, toInput: (match) => match[0] },
  { type: 'MergeRequest', pattern: /(?<=^|[\s(])(?:[\w.-]+(?:\/[\w.-]+)+)?!\d+\b/g, toInput: (match) => match[0] },
  { type: 'Epic', pattern: /(?<=^|[\s(])(?:[\w.-]+(?:\/[\w.-]+)*)?&\d+\b/g, toInput: (match) => match[0] },
  { type: 'Issue', pattern: /\bissue\s+(?:number\s+)?(\d+)\b/gi, toInput: (match) => `#${match[1] ?? ''}` },
  { type: 'MergeRequest', pattern: /\b(?:mr|merge request)\s+(?:number\s+)?(\d+)\b/gi, toInput: (match) => `!${match[1] ?? ''}` },
  { type: 'Epic', pattern: /\bepic\s+(?:number\s+)?(\d+)\b/gi, toInput: (match) => `&${match[1] ?? ''}` },
]

const URL_TYPES: Record<string, string> = { issues: 'Issue', merge_requests: 'MergeRequest', epics: 'Epic' }

/** Questions the documentation answers (how-tos, configuration). */
export const DOCS_QUESTION =
  /\b(how (do|can|to|should|does)|what (is|are)|what's|documentation|docs|configure|configuration|set ?up|pipelines?|ci\/cd|enable|where (do|can|is))\b/i
/** A question about the item on the page rather than about GitLab in general. */
export const REFERS_TO_RESOURCE = /\b(this|the|current|that)\s+(issue|epic|merge request|mr|item|page)\b|\b(it|this)\b/i
const MENTIONS_MERGE_REQUEST = /\b(merge requests?|mrs?|diff|changes|review)\b/i
const CODE_COMMANDS = new Set(['explain', 'refactor', 'tests', 'fix'])
/** Commands about "the thing I'm looking at": pointless without selected code or an item. */
const TARGETED_COMMANDS = new Set([...CODE_COMMANDS, 'summarize_comments'])
const CODE_CONTEXT = new Set(['FILE', 'SNIPPET'])
/** A question about code the user has in front of them. */
const CODE_QUESTION = /\b(code|selection|selected|snippet|function|this (?:file|line|error))\b/i
/** A question that continues the previous one instead of naming its subject. */
const FOLLOW_UP = /^\s*(and|also|so|then|what about)\b|\b(it|its|they|them|their|he|she|his|her)\b/i

/** The scripted model; pass it to `createGateway` or use its completions in tests. */
export function createScriptedModel(): ChatModel {
  return {
    async *stream(prompt, signal) {
      // Word-sized deltas, as a real provider streams; timing is the agent's business.
      for (const delta of scriptedCompletion(prompt).match(/\s*\S+/g) ?? []) {
        signal.throwIfAborted()
        yield delta
      }
    },
  }
}

/** The complete text the scripted model writes for `prompt`. */
export function scriptedCompletion(prompt: string): string {
  const grading = parseGradePrompt(prompt)
  if (grading) return scriptedGrade(grading)
  const parsed = parsePrompt(prompt)
  const command = parseSlashCommand(parsed.question)
  const question = command ? command.rest : parsed.question
  const references = questionReferences(question, parsed.history)
  // A prompt without tools (the rag pipeline's) already holds everything it will get.
  const noTools = parsed.toolNames.length === 0
  const resourceType = parsed.resourceId ? parseGlobalId(parsed.resourceId)?.type ?? null : null
  const resourceReader = resourceType ? READER_FOR_TYPE[resourceType] : undefined
  const resourceAction = resourceReader && parsed.resourceId ? { ...resourceReader, input: parsed.resourceId } : null
  const docsQuestion = DOCS_QUESTION.test(question)

  const images = describedImages(parsed)
  if (images && parsed.scratchpad.length === 0) return finalAnswer(images)
  if ((parsed.scratchpad.length === 0 || noTools) && references.length === 0) {
    if (isSmallTalk(question)) return finalAnswer(answerDirectly(question))
    const chatCommandAnswer = command && answerChatCommand(command)
    if (chatCommandAnswer) return finalAnswer(chatCommandAnswer)
    const mergeRequestContext = parsed.additionalContext.find((item) => item.category === 'MERGE_REQUEST')
    const aboutMergeRequest =
      resourceType === 'MergeRequest' ||
      command !== null ||
      MENTIONS_MERGE_REQUEST.test(question) ||
      (resourceAction === null && !docsQuestion)
    if (mergeRequestContext && aboutMergeRequest) {
      return finalAnswer(answerFromMergeRequestContext(mergeRequestContext.content, mergeRequestContext.metadata))
    }
    const code = selectedCode(parsed)
    if (command && code && CODE_COMMANDS.has(command.name)) return finalAnswer(answerCode(code.text, code.fileName, command))
    if (command && !resourceAction && TARGETED_COMMANDS.has(command.name)) return finalAnswer(answerCommandWithoutTarget(command))
    if (!command && code && CODE_QUESTION.test(question) && (noTools || !resourceAction)) return finalAnswer(answerCode(code.text, code.fileName, null))
  }

  // The model can only call the tools the prompt offers (excluded providers hide theirs).
  const plan = planActions(references, resourceAction, command, question, docsQuestion).filter((action) => parsed.toolNames.includes(action.tool))
  const next = plan.find(
    (action) => !parsed.scratchpad.some((step) => step.action === action.tool && step.actionInput === action.input),
  )
  if (next) return `Thought: ${next.thought}\nAction: ${next.tool}\nAction Input: ${next.input}`
  return finalAnswer(answerFromObservations(parsed, command, question))
}

/** What the model "sees" in the attached images (category IMAGE): dimensions, colour, PNG description. */
function describedImages(parsed: ParsedPrompt): string | null {
  const images = parsed.additionalContext.filter((item) => item.category === 'IMAGE')
  if (images.length === 0) return null
  const sentences = images.map((item, index) => {
    const title = typeof item.metadata === 'object' && item.metadata !== null ? (item.metadata as { title?: unknown }).title : undefined
    const name = typeof title === 'string' && title ? title : `Image ${index + 1}`
    const info = readImageInfo(decodeBase64(item.content))
    return info ? describeImage(name, info) : `I could not read **${name}** as an image.`
  })
  return sentences.join('\n\n')
}

function finalAnswer(answer: string): string {
  return `Thought: I know the final answer.\nFinal Answer: ${answer}`
}

function parseSlashCommand(question: string): SlashCommand | null {
  const match = /^\s*\/([a-z_]+)\b\s*([\s\S]*)$/i.exec(question)
  return match?.[1] ? { name: match[1].toLowerCase(), rest: (match[2] ?? '').trim() } : null
}

/**
 * The items a question is about: those it names, or, for a follow-up that names none ("and who
 * reported it?"), those of the newest earlier turn that named any.
 */
export function questionReferences(question: string, history: readonly HistoryTurn[]): PlannedAction[] {
  const named = findReferences(question)
  if (named.length > 0 || !FOLLOW_UP.test(question)) return named
  for (const turn of [...history].reverse()) {
    const earlier = findReferences(turn.question)
    if (earlier.length > 0) return earlier
    const answered = findReferences(turn.answer ?? '')
    if (answered.length > 0) return answered
  }
  return []
}

/** The items a question names (`#1`, `!2`, `&3`, URLs, global ids, "issue 4"), in the order it names them. */
export function findReferences(question: string): PlannedAction[] {
  const found: { index: number; action: PlannedAction }[] = []
  for (const { type, pattern, toInput } of REFERENCE_PATTERNS) {
    for (const match of question.matchAll(pattern)) {
      const input = toInput(match as RegExpExecArray)
      const itemType =
        type === 'gid' ? parseGlobalId(input)?.type : type === 'url' ? URL_TYPES[/\/-\/(\w+)\//.exec(input)?.[1] ?? ''] : type
      const reader = itemType ? READER_FOR_TYPE[itemType] : undefined
      if (reader && !found.some((entry) => entry.action.input === input && entry.action.tool === reader.tool)) {
        found.push({ index: match.index ?? 0, action: { ...reader, input } })
      }
    }
  }
  return found.sort((left, right) => left.index - right.index).map((entry) => entry.action)
}

function planActions(
  references: PlannedAction[],
  resourceAction: PlannedAction | null,
  command: SlashCommand | null,
  question: string,
  docsQuestion: boolean,
): PlannedAction[] {
  if (references.length > 0) return references
  // A general how-to asked on an issue page is about GitLab, not about that issue.
  if (resourceAction && (command !== null || !docsQuestion || REFERS_TO_RESOURCE.test(question))) return [resourceAction]
  if (docsQuestion) {
    const query = question.replace(/\s+/g, ' ').trim().slice(0, 200)
    return [{ tool: 'gitlab_documentation', input: query, thought: 'The GitLab documentation should answer this.' }]
  }
  return []
}

function selectedCode(parsed: ParsedPrompt): { text: string; fileName: string | null } | null {
  if (parsed.currentFile?.selectedText.trim()) {
    return { text: parsed.currentFile.selectedText, fileName: parsed.currentFile.fileName }
  }
  const attached = parsed.additionalContext.find((item) => CODE_CONTEXT.has(item.category) && item.content.trim())
  return attached ? { text: attached.content, fileName: attached.id || null } : null
}

function answerFromObservations(parsed: ParsedPrompt, command: SlashCommand | null, question: string): string {
  const answers = parsed.scratchpad.flatMap((step) => {
    const observation = readObservation(step.observation)
    switch (observation?.type) {
      case 'issue':
        return [(command ? null : answerIssueQuestion(observation, question)) ?? answerIssue(observation, command)]
      case 'epic':
        return [answerEpic(observation)]
      case 'merge_request':
        return [answerMergeRequest(observation, command)]
      case 'documentation':
        return [answerDocumentation(observation, question)]
      default:
        return []
    }
  })
  if (answers.length > 0) return answers.join('\n\n---\n\n')
  const provided = providedItems(parsed)
  return provided.length > 0 ? answerFromProvidedContext(provided) : answerDirectly(question || parsed.question)
}

/** Context items a page's provider gave (tagged with metadata.contextProvider). */
function providedItems(parsed: ParsedPrompt) {
  return parsed.additionalContext.flatMap((item) => {
    const provider = typeof item.metadata === 'object' && item.metadata !== null ? (item.metadata as { contextProvider?: unknown }).contextProvider : undefined
    return typeof provider === 'string' && item.content.trim() ? [{ id: item.id, category: item.category, content: item.content, provider }] : []
  })
}
