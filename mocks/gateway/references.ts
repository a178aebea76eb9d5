import type { Fixtures } from './fixtures'
import { parseGlobalId } from './permissions'

/** The kinds of items that GitLab's reference syntax can name. */
export type ReferenceKind = 'Issue' | 'MergeRequest' | 'Epic'

/** Where short references such as `#2` or `&1` point. */
export interface ReferenceScope {
  projectId: string
  groupId: string
}

const SIGILS: Record<ReferenceKind, string> = { Issue: '#', MergeRequest: '!', Epic: '&' }
const URL_SEGMENTS: Record<ReferenceKind, string> = { Issue: 'issues', MergeRequest: 'merge_requests', Epic: 'epics' }

/**
 * The global id a tool input names, in any of the forms people and models write: a global id,
 * `#1` / `!1` / `&1` in the current scope, `acme/shop#1` / `acme&1` with a full path, a web URL
 * (`.../acme/shop/-/issues/1`) or a bare number.
 *
 * Resolution ignores permissions on purpose: the caller checks access on the result, so that
 * unknown and hidden items fail the same way.
 */
export function resolveReference(
  fixtures: Fixtures,
  kind: ReferenceKind,
  input: string,
  scope: ReferenceScope,
): string | null {
  const text = input.trim().replace(/^["'`]+|["'`.]+$/g, '')
  const gid = parseGlobalId(text)
  if (gid) return gid.type === kind ? `gid://gitlab/${gid.type}/${gid.id}` : null

  const sigil = escapeRegExp(SIGILS[kind])
  const short = new RegExp(`^(?:([\\w.-]+(?:/[\\w.-]+)*))?${sigil}(\\d+)$`).exec(text)
  const url = new RegExp(`^(?:groups/)?([\\w.-]+(?:/[\\w.-]+)*)/-/${URL_SEGMENTS[kind]}/(\\d+)/?$`).exec(
    text.replace(/^https?:\/\/[^/]+\//, ''),
  )
  const bare = /^\d+$/.exec(text)
  const path = short?.[1] ?? url?.[1]
  const iid = Number(short?.[2] ?? url?.[2] ?? bare?.[0] ?? Number.NaN)
  if (!Number.isInteger(iid)) return null

  if (kind === 'Epic') {
    const groupId = path ? fixtures.groups.find((group) => group.fullPath === path)?.id : scope.groupId
    return fixtures.epics.find((epic) => epic.groupId === groupId && epic.iid === iid)?.id ?? null
  }
  const projectId = path ? fixtures.projects.find((project) => project.fullPath === path)?.id : scope.projectId
  const items = kind === 'Issue' ? fixtures.issues : fixtures.mergeRequests
  return items.find((item) => item.projectId === projectId && item.iid === iid)?.id ?? null
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
