import { describe, expect, it } from 'vitest'
import { defaultErrorMessage, describeError } from './errorMessages'

describe('defaultErrorMessage', () => {
  it('gives a known code its own sentence, whatever its letter', () => {
    expect(defaultErrorMessage('M1001')).toBe('GitLab Duo did not answer in time. Try again.')
    expect(defaultErrorMessage('G3001')).toMatch(/different GitLab Duo subscription/)
    expect(defaultErrorMessage('A1005')).toMatch(/\/clear/)
  })

  it.each([
    ['M2999', 'GitLab Duo received data it could not use. Try again.'],
    ['G2999', 'GitLab Duo received data it could not use. Try again.'],
    ['A2999', 'GitLab Duo received data it could not use. Try again.'],
    ['M3999', "You don't have permission for this request."],
    ['G3999', "You don't have permission for this request."],
    ['A3999', "You don't have permission for this request."],
    ['M4999', 'GitLab Duo failed while working on your request. Try again.'],
    ['G5999', 'GitLab Duo is not configured correctly. Contact your administrator.'],
    ['A6999', 'The AI model could not produce an answer. Try again or rephrase your question.'],
  ])('gives an unknown %s its series sentence', (code, sentence) => {
    expect(defaultErrorMessage(code)).toBe(sentence)
  })

  it('tells a 1000-series code by its letter: only GitLab itself can be out of reach', () => {
    expect(defaultErrorMessage('M1999')).toBe('GitLab Duo could not be reached. Check your connection and try again.')
    expect(defaultErrorMessage('G1999')).toBe('The AI gateway ran into a problem. Try again in a moment.')
    expect(defaultErrorMessage('A1999')).toBe('GitLab Duo ran into a problem with the AI service. Try again in a moment.')
  })

  it('gives no code, and anything not shaped like a GitLab code, the generic sentence', () => {
    for (const code of [null, 'X1000', 'M100', 'm1000', 'M10000']) expect(defaultErrorMessage(code)).toBe('Something went wrong. Try again.')
  })
})

describe('describeError', () => {
  it("picks the code out of GitLab's text and says the drawer's sentence", () => {
    expect(describeError(["I'm sorry, you've sent too many questions. Error code: M1009"])).toEqual({
      code: 'M1009',
      text: 'You sent many questions in a short time. Wait a moment, then try again.',
    })
  })

  it("shows an uncoded error in the server's own words", () => {
    expect(describeError(['The gateway refused your credentials (HTTP 401). Sign in again.'])).toEqual({
      code: null,
      text: 'The gateway refused your credentials (HTTP 401). Sign in again.',
    })
  })
})
