import type { Viewer } from './auth'
import { GatewayError } from './errors'
import type { Fixtures, NoteFixture } from './fixtures'
import { searchDocs } from './docsSearch'
import { accessResource, canUseIssueWithDuo } from './permissions'
import { resolveReference, type ReferenceKind, type ReferenceScope } from './references'

/** Where an answer's facts came from; stored in `extras.sources` as GitLab does. */
export interface Source {
  title: string
  source_url: string
  source_type: 'doc'
  [key: string]: unknown
}

/** What a tool reads with: the asking user's rights and the scope for short references. */
export interface ToolContext {
  fixtures: Fixtures
  viewer: Viewer
  scope: ReferenceScope
  /** Hears the global id of every item a tool is about to read (before the access check): the audit trail. */
  onRead?: (globalId: string) => void
}

/** A tool's result: the observation text for the scratchpad, and the sources it used. */
export interface ToolResult {
  observation: string
  sources: Source[]
}

/** One tool the agent can call. */
export interface Tool {
  /** What the model writes after `Action:`. */
  name: string
  /** What the drawer shows while the tool runs (the tool step's content). */
  humanName: string
  /** Tells the model when to use the tool and what input it takes. */
  description: string
  /** Runs with the viewer's rights; throws a {@link GatewayError} that ends the request. */
  run(input: string, context: ToolContext): ToolResult
}

/** Observations are JSON so that the scripted model reads them reliably. */
function observe(value: unknown, sources: Source[] = []): ToolResult {
  return { observation: JSON.stringify(value), sources }
}

function comments(notes: readonly NoteFixture[]): { author: string; createdAt: string; body: string }[] {
  return notes.map((note) => ({ author: `@${note.authorUsername}`, createdAt: note.createdAt, body: note.body }))
}

function resolveAndAccess(kind: ReferenceKind, input: string, context: ToolContext) {
  const gid = resolveReference(context.fixtures, kind, input, context.scope)
  // Unresolvable input reads as "no such item" so that a guessed reference learns nothing.
  if (!gid) throw new GatewayError('M3003')
  context.onRead?.(gid)
  return accessResource(context.fixtures, context.viewer.id, gid)
}

const issueReader: Tool = {
  name: 'issue_reader',
  humanName: 'Issue Reader',
  description:
    'Reads one issue: title, state, labels, description and comments. Input: the issue global id ' +
    '(gid://gitlab/Issue/1), a reference (#1 or group/project#1) or the issue URL.',
  run(input, context) {
    const resource = resolveAndAccess('Issue', input, context)
    if (resource.kind !== 'issue') throw new GatewayError('M3003')
    const { issue, project } = resource
    return observe({
      type: 'issue',
      id: issue.id,
      reference: `${project.fullPath}#${issue.iid}`,
      title: issue.title,
      state: issue.state,
      labels: issue.labels,
      author: `@${issue.authorUsername}`,
      assignees: issue.assigneeUsernames.map((username) => `@${username}`),
      createdAt: issue.createdAt,
      description: issue.description,
      comments: comments(issue.notes),
    })
  },
}

const epicReader: Tool = {
  name: 'epic_reader',
  humanName: 'Epic Reader',
  description:
    'Reads one epic: title, state, labels, description, comments and child issues. Input: the epic global id ' +
    '(gid://gitlab/Epic/1), a reference (&1 or group&1) or the epic URL.',
  run(input, context) {
    const resource = resolveAndAccess('Epic', input, context)
    if (resource.kind !== 'epic') throw new GatewayError('M3003')
    const { epic, group } = resource
    // Children live in many projects; list only those this user could also ask about directly.
    const children = epic.childIssueIds.flatMap((id) => {
      const issue = context.fixtures.issues.find((candidate) => candidate.id === id)
      if (!issue || !canUseIssueWithDuo(context.fixtures, issue, context.viewer.id)) return []
      const project = context.fixtures.projects.find((candidate) => candidate.id === issue.projectId)
      return [{ reference: `${project?.fullPath ?? ''}#${issue.iid}`, title: issue.title, state: issue.state }]
    })
    return observe({
      type: 'epic',
      id: epic.id,
      reference: `${group.fullPath}&${epic.iid}`,
      title: epic.title,
      state: epic.state,
      labels: epic.labels,
      author: `@${epic.authorUsername}`,
      createdAt: epic.createdAt,
      description: epic.description,
      childIssues: children,
      comments: comments(epic.notes),
    })
  },
}

const mergeRequestReader: Tool = {
  name: 'merge_request_reader',
  humanName: 'Merge Request Reader',
  description:
    'Reads one merge request: title, state, branches, description, diff and comments. Input: the merge request ' +
    'global id (gid://gitlab/MergeRequest/1), a reference (!1 or group/project!1) or the merge request URL.',
  run(input, context) {
    const resource = resolveAndAccess('MergeRequest', input, context)
    if (resource.kind !== 'mergeRequest') throw new GatewayError('M3003')
    const { mergeRequest, project } = resource
    return observe({
      type: 'merge_request',
      id: mergeRequest.id,
      reference: `${project.fullPath}!${mergeRequest.iid}`,
      title: mergeRequest.title,
      state: mergeRequest.state,
      sourceBranch: mergeRequest.sourceBranch,
      targetBranch: mergeRequest.targetBranch,
      author: `@${mergeRequest.authorUsername}`,
      createdAt: mergeRequest.createdAt,
      description: mergeRequest.description,
      diff: mergeRequest.diff,
      comments: comments(mergeRequest.notes),
    })
  },
}

const gitlabDocumentation: Tool = {
  name: 'gitlab_documentation',
  humanName: 'GitLab Documentation',
  description:
    'Searches the GitLab documentation. Use it for questions about how to use or configure GitLab. ' +
    'Input: a short search query.',
  run(input, context) {
    const pages = searchDocs(context.fixtures.docs, input)
    if (pages.length === 0) throw new GatewayError('M2000')
    return observe(
      { type: 'documentation', query: input, pages: pages.map((page) => ({ title: page.title, url: page.url, content: page.body })) },
      pages.map((page) => ({ title: page.title, source_url: page.url, source_type: 'doc' })),
    )
  },
}

/** The tools of GitLab's Duo Chat agent, in the order the prompt lists them. */
export const TOOLS: readonly Tool[] = [issueReader, epicReader, mergeRequestReader, gitlabDocumentation]

/** A tool by the name the model wrote. */
export function findTool(name: string): Tool | undefined {
  return TOOLS.find((tool) => tool.name === name.trim())
}
