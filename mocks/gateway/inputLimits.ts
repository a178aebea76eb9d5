/**
 * Checks every string and structure of an `aiAction` input against the limits before anything is
 * stored: the question, each context item's id, content and metadata (its JSON length and
 * nesting), the current file's name and text, and the request's own ids. Everything attached
 * counts toward `maxContextLength`, not only the contents. Refusals say which field, by position,
 * never echoing what was sent (code M1005, `limits.ts`).
 */
import type { AiActionInput } from './chatRequests'
import { formatErrorMessage } from './errors'
import { measureJson, type JsonProblem } from './jsonSize'
import { decodeBase64, readImageInfo } from './imageInfo'
import { checkInput, type GatewayLimits, type LimitRefusal } from './limits'

/** At most this many names in each of an input's provider lists (Duo Chat V2). */
export const MAX_PROVIDER_NAMES = 50
/** The longest provider name accepted. */
export const MAX_PROVIDER_NAME_LENGTH = 100

const count = (value: number) => value.toLocaleString('en-US')

function refusal(reason: LimitRefusal['reason'], sentence: string): LimitRefusal {
  return { reason, code: 'M1005', message: formatErrorMessage('M1005', sentence) }
}

function tooLong(what: string, length: number, limit: number): LimitRefusal {
  return refusal('field_too_long', `The ${what} is ${count(length)} characters long, over the limit of ${count(limit)}. Shorten it and send it again.`)
}

const METADATA_PROBLEMS: Record<JsonProblem, (limits: GatewayLimits) => string> = {
  too_deep: (limits) => `is nested more than ${count(limits.maxMetadataDepth)} levels deep. Flatten it`,
  too_long: (limits) => `is over the limit of ${count(limits.maxMetadataLength)} characters as JSON. Shorten it`,
  cyclic: () => 'refers to itself. Send plain JSON',
  not_json: () => 'holds values JSON cannot carry. Send plain JSON',
}

/** The size of one `aiAction` input: what the thread will store for its question. */
export interface AiActionInputSize {
  /** The question's length. */
  questionLength: number
  /** Everything attached: context items (content, id, category, metadata as JSON) and the current file. */
  contextLength: number
}

/** The first limit the input breaks, or its size when it breaks none. */
export function checkAiActionInput(limits: GatewayLimits, input: AiActionInput): LimitRefusal | AiActionInputSize {
  const chat = input.chat
  for (const [what, value] of [
    ['clientSubscriptionId', input.clientSubscriptionId],
    ['clientMutationId', input.clientMutationId],
    ['platformOrigin', input.platformOrigin],
  ] as const) {
    if (value && value.length > limits.maxIdLength) return tooLong(what, value.length, limits.maxIdLength)
  }
  for (const field of ['proactiveContextProviders', 'reactiveContextProviders', 'excludedContextProviders'] as const) {
    const names = input[field] ?? []
    if (names.length > MAX_PROVIDER_NAMES) {
      return refusal('too_many_providers', `${field} names ${count(names.length)} providers, over the limit of ${MAX_PROVIDER_NAMES}. Send fewer.`)
    }
    const long = names.findIndex((name) => name.length > MAX_PROVIDER_NAME_LENGTH)
    if (long >= 0) return tooLong(`name ${long + 1} of ${field}`, names[long]?.length ?? 0, MAX_PROVIDER_NAME_LENGTH)
  }
  const items = chat?.additionalContext ?? []
  let contextLength = 0
  let images = 0
  // Per item before the totals, so that one oversized field is named rather than summed.
  if (items.length <= limits.maxContextItems) {
    for (const [index, item] of items.entries()) {
      const position = `context item ${index + 1}`
      if (item.id.length > limits.maxIdLength) return tooLong(`id of ${position}`, item.id.length, limits.maxIdLength)
      let metadataLength = 0
      if (item.metadata !== undefined && item.metadata !== null) {
        const measured = measureJson(item.metadata, { maxDepth: limits.maxMetadataDepth, maxLength: limits.maxMetadataLength })
        if (!measured.ok) {
          return refusal(`metadata_${measured.problem}`, `The metadata of ${position} ${METADATA_PROBLEMS[measured.problem](limits)} and send it again.`)
        }
        metadataLength = measured.length
      }
      if (item.category === 'IMAGE') {
        const problem = checkImage(limits, item.content, position)
        if (problem) return problem
        images++
        if (images > limits.maxImagesPerQuestion) {
          return refusal('too_many_images', `The question carries more than ${count(limits.maxImagesPerQuestion)} images. Remove some and send it again.`)
        }
        // An image's bytes are bounded by maxImageBytes, not by the text limits.
        contextLength += item.id.length + item.category.length + metadataLength
        continue
      }
      contextLength += item.content.length + item.id.length + item.category.length + metadataLength
    }
  }
  const file = chat?.currentFile
  if (file) {
    if (file.fileName.length > limits.maxFileNameLength) return tooLong('current file name', file.fileName.length, limits.maxFileNameLength)
    contextLength += file.fileName.length + file.selectedText.length + (file.contentAboveCursor?.length ?? 0) + (file.contentBelowCursor?.length ?? 0)
  }
  const questionLength = chat?.content?.length ?? 0
  return checkInput(limits, { questionLength, contextItems: items.length, contextLength }) ?? { questionLength, contextLength }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** An `IMAGE` item's content must be the base64 of a PNG, JPEG, WebP or GIF within `maxImageBytes`. */
function checkImage(limits: GatewayLimits, content: string, position: string): LimitRefusal | null {
  const bytes = Math.floor((content.length * 3) / 4)
  if (bytes > limits.maxImageBytes) {
    return refusal('image_too_large', `The image of ${position} is about ${count(bytes)} bytes, over the limit of ${count(limits.maxImageBytes)}. Send a smaller image.`)
  }
  if (content.length % 4 !== 0 || !BASE64.test(content) || !readImageInfo(decodeBase64(content))) {
    return refusal('image_not_accepted', `The image of ${position} is not a PNG, JPEG, WebP or GIF in base64. Attach one of those.`)
  }
  return null
}

/** Whether {@link checkAiActionInput} refused. */
export function isRefusal(value: LimitRefusal | AiActionInputSize): value is LimitRefusal {
  return 'code' in value
}
