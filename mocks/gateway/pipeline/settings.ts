/**
 * Per-user gateway settings (`POST /__mock/settings`): which pipeline answers a user's questions.
 * A user without a setting gets the gateway's default; `reset()` forgets every setting.
 */
import { findUser } from '../auth'
import type { Fixtures } from '../fixtures'
import type { PipelineName } from './transparency'

/** The pipelines a gateway can answer with. */
export const PIPELINES: readonly PipelineName[] = ['react', 'rag']

/** What `POST /__mock/settings` takes. */
export interface SettingsInput {
  /** `alice`, `bob` or a user global id. */
  user: string
  /** The user's pipeline; null returns the user to the gateway's default. */
  pipeline?: PipelineName | null
}

const FIELDS = ['user', 'pipeline']

function fail(problem: string): never {
  throw new Error(`Invalid settings: ${problem}`)
}

/** Whether a value names a pipeline. */
export function isPipeline(value: unknown): value is PipelineName {
  return typeof value === 'string' && (PIPELINES as readonly string[]).includes(value)
}

/** Validates settings (the JSON body of the route); throws an Error that names the bad field. */
export function readSettings(body: unknown, fixtures: Fixtures): { input: SettingsInput; userId: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('expected a JSON object.')
  const record = body as Record<string, unknown>
  const unknown = Object.keys(record).find((key) => !FIELDS.includes(key))
  if (unknown !== undefined) fail(`unknown field "${unknown}"; the fields are ${FIELDS.join(', ')}.`)
  if (typeof record.user !== 'string') fail('"user" must be a username or a user global id.')
  const user = findUser(fixtures, record.user)
  if (!user) fail(`"user" is not a known user; use ${fixtures.users.map((u) => u.username).join(' or ')}.`)
  const pipeline = record.pipeline
  if (pipeline !== undefined && pipeline !== null && !isPipeline(pipeline)) fail(`"pipeline" must be one of ${PIPELINES.join(', ')} or null.`)
  return { input: { user: record.user, pipeline: pipeline ?? null }, userId: user.id }
}

/** The users' settings. */
export class GatewaySettings {
  private readonly pipelines = new Map<string, PipelineName>()

  constructor(private readonly defaultPipeline: PipelineName) {}

  set(userId: string, pipeline: PipelineName | null): void {
    if (pipeline) this.pipelines.set(userId, pipeline)
    else this.pipelines.delete(userId)
  }

  pipelineFor(userId: string): PipelineName {
    return this.pipelines.get(userId) ?? this.defaultPipeline
  }

  clear(): void {
    this.pipelines.clear()
  }
}
