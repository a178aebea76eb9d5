/**
 * Error codes the gateway answers with, in GitLab's format: a series letter (`A` AI gateway and
 * agent, `M` monolith, `G` subscription) and four digits whose first digit is the family
 * (1000 network, 2000 data, 3000 auth/permission, 4000 execution, 5000 configuration, 6000 inference).
 *
 * Every sentence tells the user what to do next, because the drawer shows it as-is next to a retry.
 *
 * Where the gateway uses them:
 * - A1001 a model provider rejected the request (HTTP 4xx: bad request, bad API key, unknown model);
 * - A1005 input over a limit (`limits.ts`): question too long, too much attached context, too many
 *   context items; the mutation refuses it with a sentence that gives both numbers;
 * - A1006 the agent hit its step limit;
 * - A1008 no model provider available (connection refused, timeout, HTTP 408/429/5xx, every circuit open);
 * - A1009 too many questions from one user in a short time (per-user rate limit, `limits.ts`);
 *   the mock gateway's own code, as GitLab answers rate limits without one;
 * - A6000 the model's output was unusable (a stream that broke off or could not be read);
 * - M3002 GitLab Duo is turned off for the item's project or group; M3003 the item does not exist
 *   or the user may not read it (the two look the same on purpose). Neither names the item.
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
  A1009: "I'm sorry, you've sent too many questions in a short time. Wait a moment, then try again.",
  A6000: "I'm sorry, the AI model couldn't answer. Try a more specific question or start a new chat.",
  A9999: "I'm sorry, something unexpected went wrong while answering. Please try again.",
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
