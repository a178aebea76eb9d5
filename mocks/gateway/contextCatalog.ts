/**
 * What the /include menu can attach, and whether a user may send a context item: issues, merge
 * requests and the files their diffs touch, each read with the asking user's rights.
 */
import { GatewayError } from './errors'
import type { Fixtures, ProjectFixture } from './fixtures'
import { accessResource, canReadProject, isDuoEnabledForProject } from './permissions'

export type ContextCategory = 'ISSUE' | 'MERGE_REQUEST' | 'FILE'

/** One search hit, as `duoChatContextSearch` returns it. */
export interface ContextCatalogItem {
  id: string
  category: ContextCategory
  title: string
  description: string
  webUrl: string
  enabled: boolean
  disabledReason: string | null
}

export interface ContextStatusRecord {
  id: string
  enabled: boolean
  disabledReason: string | null
}

const FILE_ID = /^([\w.-]+\/[\w.-]+):(.+)$/

/** Chip-sized reasons; like the errors, "no access" and "does not exist" read alike. */
const REASONS: Record<string, string> = {
  M3002: 'GitLab Duo is turned off for its project. (M3002)',
  M3003: "It doesn't exist or you don't have access to it. (M3003)",
}
const reason = (code: string) => REASONS[code] ?? `Not available. (${code})`
export const WEB_ORIGIN = 'https://gitlab.example.com'

/** File ids are `<project full path>:<path>`; the files are those the projects' merge requests change. */
export function projectFiles(fixtures: Fixtures): { id: string; project: ProjectFixture; path: string; content: string }[] {
  return fixtures.mergeRequests.flatMap((mergeRequest) => {
    const project = fixtures.projects.find((p) => p.id === mergeRequest.projectId)
    if (!project) return []
    return splitDiff(mergeRequest.diff).map(({ path, content }) => ({ id: `${project.fullPath}:${path}`, project, path, content }))
  })
}

/** The new side of each file in a unified diff. */
function splitDiff(diff: string): { path: string; content: string }[] {
  const files: { path: string; lines: string[] }[] = []
  for (const line of diff.split('\n')) {
    const header = /^\+\+\+ b\/(.+)$/.exec(line)
    if (header) files.push({ path: header[1]!, lines: [] })
    else if (files.length && !line.startsWith('---') && !line.startsWith('@@') && !line.startsWith('-') && !line.startsWith('diff ')) {
      files.at(-1)!.lines.push(line.slice(1))
    }
  }
  return files.map((f) => ({ path: f.path, content: f.lines.join('\n') }))
}

/** Why the user may not send this item, or null when they may. Unknown and unreadable read alike. */
export function contextStatus(fixtures: Fixtures, userId: string, id: string): ContextStatusRecord {
  const file = FILE_ID.exec(id)
  if (file && !id.startsWith('gid://')) {
    const project = fixtures.projects.find((p) => p.fullPath === file[1])
    const known = project && canReadProject(project, userId) && projectFiles(fixtures).some((f) => f.id === id)
    if (!known) return { id, enabled: false, disabledReason: reason('M3003') }
    if (!isDuoEnabledForProject(fixtures, project)) return { id, enabled: false, disabledReason: reason('M3002') }
    return { id, enabled: true, disabledReason: null }
  }
  try {
    accessResource(fixtures, userId, id)
    return { id, enabled: true, disabledReason: null }
  } catch (error) {
    if (error instanceof GatewayError) return { id, enabled: false, disabledReason: reason(error.code) }
    throw error
  }
}

/**
 * Searches what the user can read. Items of projects with AI turned off are listed, disabled, so
 * the user learns why they cannot attach them; items they cannot read are not listed at all.
 */
export function searchContext(fixtures: Fixtures, userId: string, query: string, categories: readonly ContextCategory[] | null, first: number): ContextCatalogItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const matches = (...texts: string[]) => words.every((word) => texts.some((text) => text.toLowerCase().includes(word)))
  const wanted = (category: ContextCategory) => !categories?.length || categories.includes(category)
  const readable = (projectId: string) => {
    const project = fixtures.projects.find((p) => p.id === projectId)
    return project && canReadProject(project, userId) ? project : null
  }
  const availability = (project: ProjectFixture) =>
    isDuoEnabledForProject(fixtures, project) ? { enabled: true, disabledReason: null } : { enabled: false, disabledReason: reason('M3002') }

  const items: ContextCatalogItem[] = []
  if (wanted('ISSUE')) {
    for (const issue of fixtures.issues) {
      const project = readable(issue.projectId)
      if (!project || !matches(issue.title, `#${issue.iid}`, project.fullPath)) continue
      items.push({
        id: issue.id,
        category: 'ISSUE',
        title: issue.title,
        description: `${project.fullPath}#${issue.iid}`,
        webUrl: `${WEB_ORIGIN}/${project.fullPath}/-/issues/${issue.iid}`,
        ...availability(project),
      })
    }
  }
  if (wanted('MERGE_REQUEST')) {
    for (const mergeRequest of fixtures.mergeRequests) {
      const project = readable(mergeRequest.projectId)
      if (!project || !matches(mergeRequest.title, `!${mergeRequest.iid}`, project.fullPath)) continue
      items.push({
        id: mergeRequest.id,
        category: 'MERGE_REQUEST',
        title: mergeRequest.title,
        description: `${project.fullPath}!${mergeRequest.iid}`,
        webUrl: `${WEB_ORIGIN}/${project.fullPath}/-/merge_requests/${mergeRequest.iid}`,
        ...availability(project),
      })
    }
  }
  if (wanted('FILE')) {
    for (const file of projectFiles(fixtures)) {
      if (!canReadProject(file.project, userId) || !matches(file.path, file.project.fullPath)) continue
      items.push({
        id: file.id,
        category: 'FILE',
        title: file.path.split('/').at(-1) ?? file.path,
        description: `${file.project.fullPath}: ${file.path}`,
        webUrl: `${WEB_ORIGIN}/${file.project.fullPath}/-/blob/main/${file.path}`,
        ...availability(file.project),
      })
    }
  }
  return items.slice(0, Math.max(0, Math.min(first, 50)))
}
