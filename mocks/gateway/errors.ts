/**
 * Error codes the gateway answers with, in GitLab's format: a letter for the layer where the
 * failure happens and four digits whose first digit is the family (1000 network, 2000 data,
 * 3000 auth/permission, 4000 execution, 5000 configuration, 6000 inference). The letters are
 * GitLab's: `M` the GitLab monolith (the GraphQL API, auth, permissions, history, limits), `G` the
 * AI gateway, `A` the third-party model API. GitLab's own codes keep GitLab's letter and meaning,
 * also where its layer differs (A1006 comes from the agent); the mock's own codes take the letter
 * of the layer that refuses. docs/guide/errors.md has the table of every code; a test keeps it
 * in step with this file.
 *
 * Every sentence tells the user what to do next, because the drawer shows it as-is next to a retry.
 *
 * Where the gateway uses them:
 * - M1005 input over a limit, refused by the `aiAction` mutation before anything runs (`limits.ts`,
 *   `inputLimits.ts`): question too long, too much attached context (contents, ids, categories,
 *   metadata and the current file all count), too many context items, an id or file name too long,
 *   metadata too long, too deep, cyclic or not plain JSON, a thread full (by messages or by size:
 *   "start a new chat"); also a recording over `maxAudioBytes` and provided context over the
 *   limits. The sentence names the field and the limit. (GitLab's A1005 is the model refusing a
 *   prompt over its token limit; the mock refuses up front, in the monolith.)
 * - M1009 too many questions from one user in a short time (per-user rate limit, `limits.ts`) or
 *   too many answers of one user running at once; the mock's own code, as GitLab answers rate
 *   limits without one;
 * - A1001 a model provider rejected the request (HTTP 4xx: bad request, bad API key, unknown model);
 * - A1002 the model's reply held no answer;
 * - A1006 the agent hit its step limit;
 * - A1008 no model provider available (connection refused, timeout, HTTP 408/429/5xx, every circuit open);
 * - A6000 the model's output was unusable (a stream that broke off or could not be read);
 * - A6001 a recording `duoChatTranscribe` could not transcribe (the mock knows only its fixture clips);
 * - A9999 anything unexpected while answering (GitLab: an unknown error in the agent);
 * - M2000 the documentation tool found no page;
 * - M4010–M4013 a GraphQL document too deep, with too many aliases, too many fields or over the
 *   cost budget (`queryCost.ts`, checked while validating); M4014 a page (`first`/`last`) or a
 *   list argument over its limit; M4015 one operation reading more chat history than allowed
 *   (`resolvers.ts`). These are the mock gateway's own codes for GitLab's query limits;
 * - M3002 GitLab Duo is turned off for the item's project or group; M3003 the item does not exist
 *   or the user may not read it (the two look the same on purpose), or the thread is not the user's.
 *   Neither names the item.
 * The others are GitLab's, for scenarios (`POST /__mock/scenario { errorCode }`).
 */
export const ERROR_SENTENCES = {
  A1000: "I'm sorry, I couldn't respond in time. Please try again.",
  A1001: "I'm sorry, the AI service couldn't process your request. Please try again.",
  A1002: "I'm sorry, the AI service returned no answer. Please try again.",
  A1003: "I'm sorry, the answer stream broke off. Please try again.",
  A1004: "I'm sorry, the AI gateway ran into an error. Please try again.",
  A1005: "I'm sorry, your question is too long. Shorten it or start a new chat, then try again.",
  A1006:
    "I'm sorry, I reached my step limit before finding an answer. Try a more specific question or start a new chat.",
  A1007: "I'm sorry, there was an error processing your request. Please try again.",
  A1008: "I'm sorry, the AI model provider returned an error. Please try again.",
  A6000: "I'm sorry, the AI model couldn't answer. Try a more specific question or start a new chat.",
  A9999: "I'm sorry, something unexpected went wrong while answering. Please try again.",
  M1005: "I'm sorry, your question, its context or this chat is over a limit. Shorten it or start a new chat, then try again.",
  M1009: "I'm sorry, you've sent too many questions in a short time. Wait a moment, then try again.",
  G3001: "I'm sorry, answering this question requires a different GitLab Duo subscription. Contact your administrator.",
  M2000: "I'm sorry, I couldn't find any documentation that answers your question. Try rephrasing it.",
  M3002:
    'I am sorry, I cannot access the information you are asking about. A group or project owner has turned off GitLab Duo features in this group or project.',
  M3003:
    "I'm sorry, I can't generate a response. The items you're asking about either don't exist or you don't have access to them, or your session has expired. Check the item and sign in again if needed.",
  M3004: "I'm sorry, you don't have access to GitLab Duo Chat. Ask your administrator for access.",
  M3005: "I'm sorry, this question is not supported by your GitLab Duo subscription. Contact your administrator.",
  M3006: "I'm sorry, you don't have the GitLab Duo subscription required to use Duo Chat. Contact your administrator.",
  M4000: "I'm sorry, I couldn't run that command. Check the command and try again.",
  M4001: "I'm sorry, I couldn't find the information needed to complete your request. Please try again.",
  M4004: 'This resource has no comments to summarize.',
  M4010: "I'm sorry, that request asks for data nested too deeply. Ask for less at a time.",
  M4011: "I'm sorry, that request has too many aliases. Split it into several requests.",
  M4012: "I'm sorry, that request selects too many fields. Split it into several requests.",
  M4013: "I'm sorry, that request asks for too much at once. Ask for smaller pages or split it into several requests.",
  M4014: "I'm sorry, that page is too large. Ask for at most 100 items and follow the page cursors for the rest.",
  M4015: "I'm sorry, that request reads too much chat history at once. Ask for fewer or smaller pages.",
  M5000: "I'm sorry, I couldn't process the content of that item. Please try again.",
} as const satisfies Record<string, string>

/** A code from {@link ERROR_SENTENCES}. */
export type ErrorCode = keyof typeof ERROR_SENTENCES

/** GitLab's code format; scenarios may use codes the catalog does not list. */
export const ERROR_CODE_PATTERN = /^[AGM]\d{4}$/

/** Whether `code` has the shape GitLab gives its codes. */
export function isErrorCodeFormat(code: string): boolean {
  return ERROR_CODE_PATTERN.test(code)
}

/** The catalog sentence for `code`, with a generic one for codes outside the catalog. */
export function errorSentence(code: string): string {
  return (ERROR_SENTENCES as Record<string, string>)[code] ?? "I'm sorry, I can't generate a response. Please try again."
}

/** The text GitLab puts into `errors`: the sentence, then ` Error code: <code>`. */
export function formatErrorMessage(code: string, sentence: string = errorSentence(code)): string {
  return `${sentence} Error code: ${code}`
}

/**
 * An error that ends a chat request with a GitLab error code. `sentence` is what the user reads;
 * it never names an item the user may not see.
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError'
  readonly code: string
  readonly sentence: string

  constructor(code: string, sentence: string = errorSentence(code), options?: ErrorOptions) {
    super(formatErrorMessage(code, sentence), options)
    this.code = code
    this.sentence = sentence
  }
}
