import { extractErrorCode } from '../transport/errors'

/** What the drawer says for a failed answer: GitLab's code and a sentence that says what to do. */
export interface ErrorDescription {
  code: string | null
  text: string
}

const KNOWN_CODES: Record<string, string> = {
  A1000: 'GitLab Duo could not be reached, or took too long to answer. Check your connection and try again.',
  A1001: 'GitLab Duo ran into a problem with the AI service. Try again in a moment.',
  A1005: 'The question, its context or the conversation is too long for GitLab Duo. Shorten it, remove some context, or type /clear to start a new chat.',
  A1006: 'GitLab Duo could not finish within its step limit. Ask a narrower question.',
  A1009: 'You sent many questions in a short time. Wait a moment, then try again.',
  A1008: 'The AI provider is unavailable right now. Try again in a few minutes.',
  A6000: 'The AI model could not produce an answer. Try again or rephrase your question.',
  M3002: 'AI features are turned off for this project. Ask a project owner to turn them on.',
  M3003: "You don't have access to that resource, or it doesn't exist. Check the link or ask for access.",
  M3004: "You don't have access to GitLab Duo Chat. Ask your administrator for a seat.",
}

const SERIES: Record<string, string> = {
  '1': 'GitLab Duo could not be reached. Check your connection and try again.',
  '2': 'GitLab Duo received data it could not use. Try again.',
  '3': "You don't have permission for this request.",
  '4': 'GitLab Duo failed while working on your request. Try again.',
  '5': 'GitLab Duo is not configured correctly. Contact your administrator.',
  '6': 'The AI model could not produce an answer. Try again or rephrase your question.',
}

const GENERIC = 'Something went wrong. Try again.'

/**
 * The English sentence for GitLab error `code` (e.g. "M3003"): the code's own, else its series'
 * (the first digit), else a generic one; `null` (no code) gets the generic one too. The default
 * of the `errorMessage` label.
 */
export function defaultErrorMessage(code: string | null): string {
  if (!code) return GENERIC
  return KNOWN_CODES[code] ?? SERIES[code.charAt(1)] ?? GENERIC
}

/**
 * Turns an answer's `errors` into the code and an actionable sentence. A coded error gets the
 * sentence of `errorMessage` (the `errorMessage` label, so that it can be translated); an error
 * without a code is the server's own words, shown as they came.
 */
export function describeError(errors: readonly string[], errorMessage: (code: string | null) => string = defaultErrorMessage): ErrorDescription {
  const code = extractErrorCode(...errors)
  if (code) return { code, text: errorMessage(code) }
  return { code: null, text: errors.join(' ') || errorMessage(null) }
}
