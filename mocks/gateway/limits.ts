/**
 * Input limits of `aiAction`: how long a question may be, how much context may come with it, and
 * how often one user may ask. Each refusal carries a GitLab-style code and a sentence that says
 * what was too much and what to do (codes in `errors.ts`). The defaults are generous: a person, the
 * demo and the e2e suite never reach them; a runaway client or a hostile one does.
 */
import { formatErrorMessage } from './errors'
import { resolveQueryLimits, type QueryLimits } from './queryCost'

/** The limits; all configurable through `createGateway({ limits })`. */
export interface GatewayLimits {
  /** The longest question, in UTF-16 code units like a textarea's `maxlength`. @default 10000 */
  maxQuestionLength: number
  /** The most context in characters: all `additionalContext` contents plus the current file's text. @default 100000 */
  maxContextLength: number
  /** The most `additionalContext` items per question. @default 20 */
  maxContextItems: number
  /**
   * The largest image (category `IMAGE`, base64 content) in bytes once decoded. Images do not
   * count toward `maxContextLength` or the thread's size; this and `maxImagesPerQuestion` bound
   * them instead, below the transports' 1 MB body. @default 700000
   */
  maxImageBytes: number
  /** The most images one question carries. @default 4 */
  maxImagesPerQuestion: number
  /** The largest recording `duoChatTranscribe` takes, in bytes once decoded. @default 700000 */
  maxAudioBytes: number
  /** The longest id-like string: a context item's `id`, `clientSubscriptionId`, `clientMutationId`, `platformOrigin`. @default 255 */
  maxIdLength: number
  /** The longest `currentFile.fileName`. @default 1000 */
  maxFileNameLength: number
  /** The most characters of one context item's `metadata`, as JSON. @default 10000 */
  maxMetadataLength: number
  /** How deep `metadata` may nest: a flat object is 1. Deeper or cyclic metadata is refused up front. @default 10 */
  maxMetadataDepth: number
  /**
   * The most messages in one thread (a question and its answer are two). A question that would go
   * over it asks the user to start a new chat. Keep it at most `query.defaultPageSize`, so that a
   * client reading a thread without `first`/`last` gets all of it. @default 100
   */
  maxThreadMessages: number
  /**
   * The most characters one thread holds (content, context and metadata of all its messages):
   * about 125,000 tokens, more than a model takes back as the conversation. @default 500000
   */
  maxThreadLength: number
  /**
   * The most characters in one page of `aiMessages`; a longer page stops early with
   * `hasNextPage`/`hasPreviousPage`. Above `maxThreadLength`, so that a full thread still comes
   * in one page. @default 600000
   */
  maxPageLength: number
  /** The most characters of history one operation may read, all its `aiMessages` pages together (M4015 beyond): one full thread. @default 600000 */
  maxResponseLength: number
  /**
   * Threads kept per user: starting one more forgets the user's least recently updated thread (and
   * stops its running answers), as GitLab expires old conversations. Bounds what one user can make
   * the gateway hold to `maxThreadsPerUser × maxThreadLength`. Keep it at most `query.defaultPageSize`,
   * so that a thread list read without `first`/`last` shows them all. @default 100
   */
  maxThreadsPerUser: number
  /**
   * Answers one user may have running at once (every tab and alias together); more questions are
   * refused (M1009) until one finishes or is stopped. Keeps one user's burst from slowing down
   * everyone else's streams. @default 10
   */
  maxRunningRequests: number
  /** Questions per user: a token bucket of `burst` that refills `perMinute` a minute; null turns it off. */
  rate: { burst: number; perMinute: number } | null
  /** What one GraphQL document may ask for (depth, aliases, fields, cost, page sizes); see `queryCost.ts`. */
  query: QueryLimits
}

/** What `createGateway({ limits })` takes: any limit, and any of the query limits. */
export type GatewayLimitsInput = Partial<Omit<GatewayLimits, 'query'>> & { query?: Partial<QueryLimits> }

export const DEFAULT_LIMITS: Readonly<GatewayLimits> = {
  maxQuestionLength: 10_000,
  maxContextLength: 100_000,
  maxContextItems: 20,
  maxImageBytes: 700_000,
  maxImagesPerQuestion: 4,
  maxAudioBytes: 700_000,
  maxIdLength: 255,
  maxFileNameLength: 1_000,
  maxMetadataLength: 10_000,
  maxMetadataDepth: 10,
  maxThreadMessages: 100,
  maxThreadLength: 500_000,
  maxPageLength: 600_000,
  maxResponseLength: 600_000,
  maxRunningRequests: 10,
  maxThreadsPerUser: 100,
  rate: { burst: 1_000, perMinute: 600 },
  query: resolveQueryLimits(),
}

/** Fills in defaults and rejects values that make no sense. */
export function resolveLimits(limits: GatewayLimitsInput = {}): GatewayLimits {
  const resolved: GatewayLimits = { ...DEFAULT_LIMITS, ...limits, query: resolveQueryLimits(limits.query) }
  for (const key of [
    'maxQuestionLength',
    'maxContextLength',
    'maxContextItems',
    'maxImageBytes',
    'maxImagesPerQuestion',
    'maxAudioBytes',
    'maxIdLength',
    'maxFileNameLength',
    'maxMetadataLength',
    'maxMetadataDepth',
    'maxThreadMessages',
    'maxThreadLength',
    'maxPageLength',
    'maxResponseLength',
    'maxRunningRequests',
    'maxThreadsPerUser',
  ] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 0) throw new RangeError(`limits.${key} must be an integer >= 0, got ${resolved[key]}.`)
  }
  if (resolved.rate) {
    const { burst, perMinute } = resolved.rate
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`limits.rate.burst must be a positive integer, got ${burst}.`)
    if (!Number.isFinite(perMinute) || perMinute <= 0) throw new RangeError(`limits.rate.perMinute must be a positive number, got ${perMinute}.`)
  }
  return resolved
}

/** A refused question: the machine-readable reason (for the audit log), the code and the text. */
export interface LimitRefusal {
  reason:
    | 'question_too_long'
    | 'context_too_large'
    | 'too_many_context_items'
    | 'image_not_accepted'
    | 'image_too_large'
    | 'too_many_images'
    | 'rate_limited'
    | 'field_too_long'
    | 'metadata_too_deep'
    | 'metadata_too_long'
    | 'metadata_cyclic'
    | 'metadata_not_json'
    | 'thread_full'
    | 'too_many_running'
    | 'too_many_providers'
  code: string
  message: string
}

const count = (value: number) => value.toLocaleString('en-US')

/** What a question brings, for {@link checkInput}. */
export interface QuestionSize {
  questionLength: number
  contextItems: number
  contextLength: number
}

/** The first limit the question breaks, or null. */
export function checkInput(limits: GatewayLimits, size: QuestionSize): LimitRefusal | null {
  if (size.questionLength > limits.maxQuestionLength) {
    return {
      reason: 'question_too_long',
      code: 'M1005',
      message: formatErrorMessage(
        'M1005',
        `Your question is ${count(size.questionLength)} characters long, over the limit of ${count(limits.maxQuestionLength)}. Shorten it and send it again.`,
      ),
    }
  }
  if (size.contextItems > limits.maxContextItems) {
    return {
      reason: 'too_many_context_items',
      code: 'M1005',
      message: formatErrorMessage(
        'M1005',
        `You attached ${count(size.contextItems)} context items, over the limit of ${count(limits.maxContextItems)}. Remove some and send it again.`,
      ),
    }
  }
  if (size.contextLength > limits.maxContextLength) {
    return {
      reason: 'context_too_large',
      code: 'M1005',
      message: formatErrorMessage(
        'M1005',
        `The attached context is ${count(size.contextLength)} characters long, over the limit of ${count(limits.maxContextLength)}. Remove some context and send it again.`,
      ),
    }
  }
  return null
}

/** A refusal when the user already has `maxRunningRequests` answers running, or null. */
export function checkRunning(limits: GatewayLimits, running: number): LimitRefusal | null {
  if (running < limits.maxRunningRequests) return null
  return {
    reason: 'too_many_running',
    code: 'M1009',
    message: formatErrorMessage(
      'M1009',
      `You have ${count(running)} questions still being answered (limit: ${count(limits.maxRunningRequests)} at a time). Wait for an answer or stop one, then send it again.`,
    ),
  }
}

/** What a thread holds already, and what the next question would add. */
export interface ThreadLoad {
  messages: number
  /** Questions of the thread still being answered: each answer will be one more message. */
  pendingAnswers: number
  length: number
  questionLength: number
}

/** A refusal when the thread has no room for a question and its answer, or null. */
export function checkThread(limits: GatewayLimits, load: ThreadLoad): LimitRefusal | null {
  if (load.messages + load.pendingAnswers + 2 > limits.maxThreadMessages) {
    return {
      reason: 'thread_full',
      code: 'M1005',
      message: formatErrorMessage(
        'M1005',
        `This chat has reached its limit of ${count(limits.maxThreadMessages)} messages. Start a new chat to keep asking.`,
      ),
    }
  }
  if (load.length + load.questionLength > limits.maxThreadLength) {
    return {
      reason: 'thread_full',
      code: 'M1005',
      message: formatErrorMessage(
        'M1005',
        `This chat has reached its size limit of ${count(limits.maxThreadLength)} characters. Start a new chat to keep asking.`,
      ),
    }
  }
  return null
}

/**
 * Per-user token buckets: each question takes a token; tokens refill continuously at
 * `perMinute / 60000` a millisecond up to `burst`. Full buckets are forgotten, so idle users cost
 * no memory.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly rate: GatewayLimits['rate']
  private readonly now: () => number

  constructor(rate: GatewayLimits['rate'], now: () => number = Date.now) {
    this.rate = rate
    this.now = now
  }

  /** Takes a token for `userId`; a refusal when the bucket is empty. */
  take(userId: string): LimitRefusal | null {
    if (!this.rate) return null
    const { burst, perMinute } = this.rate
    const now = this.now()
    const perMs = perMinute / 60_000
    const bucket = this.buckets.get(userId) ?? { tokens: burst, at: now }
    const tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs)
    if (tokens < 1) {
      this.buckets.set(userId, { tokens, at: now })
      const seconds = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000))
      return {
        reason: 'rate_limited',
        code: 'M1009',
        message: formatErrorMessage(
          'M1009',
          `You have sent too many questions in a short time (limit: ${count(perMinute)} a minute). Wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'}, then send it again.`,
        ),
      }
    }
    this.buckets.set(userId, { tokens: tokens - 1, at: now })
    this.forgetFullBuckets(now)
    return null
  }

  /** Forgets every bucket (gateway reset). */
  clear(): void {
    this.buckets.clear()
  }

  /** How many users have a bucket that is not full: lets tests prove that idle users are forgotten. */
  get size(): number {
    return this.buckets.size
  }

  private forgetFullBuckets(now: number): void {
    if (!this.rate || this.buckets.size < 1_000) return
    const perMs = this.rate.perMinute / 60_000
    for (const [userId, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.rate.burst) this.buckets.delete(userId)
    }
  }
}
