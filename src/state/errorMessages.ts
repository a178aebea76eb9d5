import { extractErrorCode } from '../transport/errors'

/** What the drawer says for a failed answer: GitLab's code and a sentence that says what to do. */
export interface ErrorDescription {
  code: string | null
  text: string
}

// The letter says where it failed (M the GitLab monolith, and the drawer's own codes; G the AI
// gateway; A the model API); docs/guide/errors.md lists every code with the sentence shown here.
const KNOWN_CODES: Record<string, string> = {
  M1000: 'GitLab could not be reached, or the connection dropped. Check your connection and try again.',
  M1001: 'GitLab Duo did not answer in time. Try again.',
  M1002: 'GitLab could not take your question right now. Try again in a moment.',
  M1005: "The question, its context or the conversation is over GitLab's limits. Shorten it, remove some context, or type /clear to start a new chat.",
  M1009: 'You sent many questions in a short time. Wait a moment, then try again.',
  M1011: 'Too many answers are open at once. Close other GitLab Duo tabs, then try again.',
  M1012: 'Too many answers are open at once. Close other GitLab Duo tabs, then try again.',
  M2000: 'GitLab Duo found no documentation that answers this. Try rephrasing your question.',
  M3002: 'AI features are turned off for this project. Ask a project owner to turn them on.',
  M3003: "You don't have access to that resource, or it doesn't exist. Check the link or ask for access.",
  M3004: "You don't have access to GitLab Duo Chat. Ask your administrator for a seat.",
  G3001: 'Answering this needs a different GitLab Duo subscription. Ask your administrator.',
  A1000: 'GitLab Duo took too long to answer. Try again.',
  A1001: 'GitLab Duo ran into a problem with the AI service. Try again in a moment.',
  A1005: 'The conversation is too long for the AI model. Type /clear to start a new chat, or shorten your question.',
  A1006: 'GitLab Duo could not finish within its step limit. Ask a narrower question.',
  A1008: 'The AI provider is unavailable right now. Try again in a few minutes.',
  A6000: 'The AI model could not produce an answer. Try again or rephrase your question.',
  A9999: 'GitLab Duo ran into an unexpected problem while answering. Try again.',
}

/** Per series (the first digit), the same for every letter unless {@link LAYER_SERIES} has one. */
const SERIES: Record<string, string> = {
  '1': 'GitLab Duo could not be reached. Check your connection and try again.',
  '2': 'GitLab Duo received data it could not use. Try again.',
  '3': "You don't have permission for this request.",
  '4': 'GitLab Duo failed while working on your request. Try again.',
  '5': 'GitLab Duo is not configured correctly. Contact your administrator.',
  '6': 'The AI model could not produce an answer. Try again or rephrase your question.',
}

/** A 1000-series code past GitLab is no connection problem of the user's: "check your connection" would mislead. */
const LAYER_SERIES: Record<string, string> = {
  G1: 'The AI gateway ran into a problem. Try again in a moment.',
  A1: 'GitLab Duo ran into a problem with the AI service. Try again in a moment.',
}

const GENERIC = 'Something went wrong. Try again.'

/**
 * The English sentence for GitLab error `code` (e.g. "M3003"): the code's own, else its series'
 * (the first digit; for the 1000 series, also by letter), else a generic one; `null` (no code)
 * and anything not shaped like GitLab's codes get the generic one too. The default of the
 * `errorMessage` label.
 */
export function defaultErrorMessage(code: string | null): string {
  if (!code || !/^[MGA]\d{4}$/.test(code)) return GENERIC
  return KNOWN_CODES[code] ?? LAYER_SERIES[code.slice(0, 2)] ?? SERIES[code.charAt(1)] ?? GENERIC
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
