import { GatewayError } from './errors'
import type {
  EpicFixture,
  Fixtures,
  GroupFixture,
  IssueFixture,
  MergeRequestFixture,
  ProjectFixture,
} from './fixtures'

/** An item a question can be about, with the container whose rights and AI setting apply. */
export type Resource =
  | { kind: 'issue'; issue: IssueFixture; project: ProjectFixture }
  | { kind: 'epic'; epic: EpicFixture; group: GroupFixture }
  | { kind: 'mergeRequest'; mergeRequest: MergeRequestFixture; project: ProjectFixture }
  | { kind: 'project'; project: ProjectFixture }

/** The parts of a GitLab global id such as `gid://gitlab/Issue/1`. */
export interface GlobalId {
  type: string
  id: string
}

const GLOBAL_ID = /^gid:\/\/gitlab\/([A-Za-z:]+)\/([^/\s]+)$/

/** Splits a global id, or null when `value` is not one. */
export function parseGlobalId(value: string): GlobalId | null {
  const match = GLOBAL_ID.exec(value.trim())
  return match?.[1] && match[2] ? { type: match[1], id: match[2] } : null
}

/** Private projects need membership; internal and public ones are open to every signed-in user. */
export function canReadProject(project: ProjectFixture, userId: string): boolean {
  return project.visibility !== 'private' || project.memberIds.includes(userId)
}

/** Groups in the fixtures are readable by their members only. */
export function canReadGroup(group: GroupFixture, userId: string): boolean {
  return group.memberIds.includes(userId)
}

/** GitLab Duo is off for a project when the project or its group turned it off. */
export function isDuoEnabledForProject(fixtures: Fixtures, project: ProjectFixture): boolean {
  const group = fixtures.groups.find((candidate) => candidate.id === project.groupId)
  return project.duoFeaturesEnabled && (group?.duoFeaturesEnabled ?? true)
}

/** Whether the user may read the issue and GitLab Duo may process it. */
export function canUseIssueWithDuo(fixtures: Fixtures, issue: IssueFixture, userId: string): boolean {
  const project = fixtures.projects.find((candidate) => candidate.id === issue.projectId)
  return project !== undefined && canReadProject(project, userId) && isDuoEnabledForProject(fixtures, project)
}

/**
 * The item behind a global id as `userId` may see it.
 *
 * Throws M3003 for items that don't exist and for items the user can't read alike, so that the
 * answer does not reveal whether a hidden item exists; only then M3002 when GitLab Duo is off,
 * because telling a stranger that a project turned Duo off would already leak the project.
 */
export function accessResource(fixtures: Fixtures, userId: string, globalId: string): Resource {
  const resource = findReadable(fixtures, userId, globalId)
  if (!resource) throw new GatewayError('M3003')
  const duoEnabled =
    resource.kind === 'epic' ? resource.group.duoFeaturesEnabled : isDuoEnabledForProject(fixtures, resource.project)
  if (!duoEnabled) throw new GatewayError('M3002')
  return resource
}

function findReadable(fixtures: Fixtures, userId: string, globalId: string): Resource | null {
  const gid = parseGlobalId(globalId)
  if (!gid) return null
  const full = `gid://gitlab/${gid.type}/${gid.id}`
  const readableProject = (projectId: string): ProjectFixture | null => {
    const project = fixtures.projects.find((candidate) => candidate.id === projectId)
    return project && canReadProject(project, userId) ? project : null
  }
  switch (gid.type) {
    case 'Issue': {
      const issue = fixtures.issues.find((candidate) => candidate.id === full)
      const project = issue && readableProject(issue.projectId)
      return issue && project ? { kind: 'issue', issue, project } : null
    }
    case 'MergeRequest': {
      const mergeRequest = fixtures.mergeRequests.find((candidate) => candidate.id === full)
      const project = mergeRequest && readableProject(mergeRequest.projectId)
      return mergeRequest && project ? { kind: 'mergeRequest', mergeRequest, project } : null
    }
    case 'Epic': {
      const epic = fixtures.epics.find((candidate) => candidate.id === full)
      const group = epic && fixtures.groups.find((candidate) => candidate.id === epic.groupId)
      return epic && group && canReadGroup(group, userId) ? { kind: 'epic', epic, group } : null
    }
    case 'Project': {
      const project = readableProject(full)
      return project ? { kind: 'project', project } : null
    }
    default:
      return null
  }
}
