/**
 * The `rag` pipeline's retrievers, one per gateway context provider. They read through the ReAct
 * tools (`tools.ts`), so the asking user's rights and AI-disabled projects hold exactly as for the
 * agent: an item the user may not read ends the request with the tool's error.
 */
import { WEB_ORIGIN } from '../contextCatalog'
import { DOCS_QUESTION, questionReferences, REFERS_TO_RESOURCE } from '../model'
import { findTool, type Source, type ToolContext } from '../tools'
import type { HistoryTurn, SelectedHistory } from './historyContext'
import { DOCUMENTATION_PROVIDER, GATEWAY_CONTEXT_PROVIDERS, HISTORY_PROVIDER, REFERENCES_PROVIDER, RESOURCE_PROVIDER } from './providerNames'
import type { ContextUsed } from './transparency'

/** What a retriever works from. */
export interface RetrievalInput {
  question: string
  resourceId: string | null
  history: SelectedHistory
}

/** One item a retriever read, as the answer prompt holds it (a tool observation). */
export interface RetrievedItem {
  tool: string
  input: string
  observation: string
  sources: Source[]
  used: ContextUsed
}

/** What one retriever gave. */
export interface Retrieval {
  items: RetrievedItem[]
  /** Global ids, document URLs or message ids read. */
  reads: string[]
  /** Earlier turns (the history retriever only). */
  turns?: HistoryTurn[]
  /** Why nothing was read, when nothing was. */
  note?: string
}

/** One retriever; `retrieve` throws a GatewayError when the user may not read what it needs. */
export interface Retriever {
  name: string
  title: string
  /** Whether it reads GitLab (and takes `timing.toolMs`, like a tool) rather than memory. */
  remote: boolean
  /** Whether there is anything to read for this question; a retriever with nothing to do takes no time. */
  applies(input: RetrievalInput): boolean
  retrieve(input: RetrievalInput, context: ToolContext, signal: AbortSignal): Promise<Retrieval>
}

const READERS: Record<string, string> = { Issue: 'issue_reader', MergeRequest: 'merge_request_reader', Epic: 'epic_reader' }
const URL_PATHS: Record<string, string> = { issue: 'issues', merge_request: 'merge_requests', epic: 'epics' }
const CATEGORIES: Record<string, string> = { issue: 'ISSUE', merge_request: 'MERGE_REQUEST', epic: 'EPIC' }

function titleOf(name: string): string {
  return GATEWAY_CONTEXT_PROVIDERS.find((provider) => provider.name === name)?.title ?? name
}

/** Runs a reader tool and describes what it read. */
function read(toolName: string, input: string, provider: string, context: ToolContext): RetrievedItem & { id: string } {
  const tool = findTool(toolName)
  if (!tool) throw new Error(`No tool named ${toolName}.`)
  const result = tool.run(input, context)
  const used = describeObservation(result.observation, provider)
  return { id: used.id ?? input, tool: toolName, input, observation: result.observation, sources: result.sources, used }
}

/** What a reader tool's observation (or a documentation search) puts before the model, for `extras.contextUsed`. */
export function describeObservation(observation: string, provider: string): ContextUsed {
  const observed = JSON.parse(observation) as { type: string; id?: string; reference?: string; title?: string; pages?: { title: string; url: string }[] }
  if (observed.type === 'documentation') {
    const pages = observed.pages ?? []
    return { origin: 'RETRIEVER', provider, contextType: 'documentation', id: null, title: pages.map((page) => page.title).join(', '), webUrl: pages[0]?.url ?? null, turns: null }
  }
  const reference = observed.reference ?? ''
  const [path, iid] = reference.split(/[#!&](?=\d+$)/)
  const webUrl = path && iid ? `${WEB_ORIGIN}/${observed.type === 'epic' ? 'groups/' : ''}${path}/-/${URL_PATHS[observed.type] ?? ''}/${iid}` : null
  return {
    origin: 'RETRIEVER',
    provider,
    contextType: CATEGORIES[observed.type] ?? 'gitlabResource',
    id: observed.id ?? null,
    title: `${reference} ${observed.title ?? ''}`.trim(),
    webUrl,
    turns: null,
  }
}

const resourceRetriever: Retriever = {
  remote: true,
  name: RESOURCE_PROVIDER,
  title: titleOf(RESOURCE_PROVIDER),
  // A general how-to asked on an item's page is about GitLab, not about that item.
  applies: (input) => input.resourceId !== null && readerFor(input.resourceId) !== null && !isGeneralHowTo(input),
  async retrieve(input, context) {
    const tool = readerFor(input.resourceId ?? '')
    if (!tool || !input.resourceId) return { items: [], reads: [], note: 'The question is not asked on an item.' }
    const item = read(tool, input.resourceId, RESOURCE_PROVIDER, context)
    return { items: [item], reads: [item.id] }
  },
}

const referencesRetriever: Retriever = {
  remote: true,
  name: REFERENCES_PROVIDER,
  title: titleOf(REFERENCES_PROVIDER),
  applies: (input) => questionReferences(input.question, input.history.turns).length > 0,
  async retrieve(input, context) {
    const references = questionReferences(input.question, input.history.turns)
    const items = references.map((reference) => read(reference.tool, reference.input, REFERENCES_PROVIDER, context))
    return { items, reads: items.map((item) => item.id) }
  },
}

const documentationRetriever: Retriever = {
  remote: true,
  name: DOCUMENTATION_PROVIDER,
  title: titleOf(DOCUMENTATION_PROVIDER),
  applies: (input) =>
    DOCS_QUESTION.test(input.question) &&
    questionReferences(input.question, input.history.turns).length === 0 &&
    !(input.resourceId !== null && REFERS_TO_RESOURCE.test(input.question)),
  async retrieve(input, context) {
    const query = input.question.replace(/\s+/g, ' ').trim().slice(0, 200)
    const tool = findTool('gitlab_documentation')
    if (!tool) throw new Error('No documentation tool.')
    let result
    try {
      result = tool.run(query, context)
    } catch {
      // No page matches: the answer goes on without documentation.
      return { items: [], reads: [], note: 'No documentation page matches the question.' }
    }
    const pages = result.sources
    const item = { tool: 'gitlab_documentation', input: query, observation: result.observation, sources: result.sources, used: describeObservation(result.observation, DOCUMENTATION_PROVIDER) }
    return { items: [item], reads: pages.map((page) => page.source_url) }
  },
}

const historyRetriever: Retriever = {
  remote: false,
  name: HISTORY_PROVIDER,
  title: titleOf(HISTORY_PROVIDER),
  applies: (input) => input.history.turns.length > 0,
  async retrieve(input) {
    return { items: [], reads: input.history.questionIds, turns: input.history.turns }
  },
}

/** The gateway's retrievers, in the order steps list them. */
export const GATEWAY_RETRIEVERS: readonly Retriever[] = [resourceRetriever, referencesRetriever, documentationRetriever, historyRetriever]

function isGeneralHowTo(input: RetrievalInput): boolean {
  const { question } = input
  return DOCS_QUESTION.test(question) && !REFERS_TO_RESOURCE.test(question) && !/^\s*\//.test(question) && questionReferences(question, input.history.turns).length === 0
}

function readerFor(globalId: string): string | null {
  const type = /^gid:\/\/gitlab\/(\w+)\/\d+$/.exec(globalId)?.[1]
  return type ? (READERS[type] ?? null) : null
}
