import type { DocPageFixture } from './fixtures'

/** Words that say nothing about the topic; "gitlab" is on every page, so it cannot rank one. */
const STOP_WORDS = new Set(
  (
    'a about an and any are as at be can could do does documentation docs for from get gitlab how i ' +
    'in is it me my of on or please should show tell the this to use using want what when where which ' +
    'who why will with you your'
  ).split(' '),
)

/** How much more a title match counts than a body match: titles name the page's topic. */
const TITLE_WEIGHT = 3
/** At most this many pages back an answer; more would dilute the citation. */
const MAX_PAGES = 2

/** The significant, lightly stemmed words of a text ("pipelines" and "pipeline" match). */
export function searchTerms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map(stem)
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}

/**
 * The pages that best match `query`, best first: a small keyword ranking, enough to send
 * "how do I configure a pipeline" to the CI/CD pages and "what is Duo Chat" to the chat page.
 */
export function searchDocs(pages: readonly DocPageFixture[], query: string): DocPageFixture[] {
  const terms = new Set(searchTerms(query))
  if (terms.size === 0) return []
  const scored = pages.map((page, index) => {
    const title = new Set(searchTerms(page.title))
    const body = new Set(searchTerms(page.body))
    let score = 0
    for (const term of terms) {
      if (title.has(term)) score += TITLE_WEIGHT
      if (body.has(term)) score += 1
    }
    return { page, index, score }
  })
  const best = Math.max(...scored.map((entry) => entry.score))
  // A page far below the best one is noise that happens to share a common word.
  return scored
    .filter((entry) => entry.score > 0 && entry.score * 2 >= best)
    .sort((left, right) => right.score - left.score || left.index - right.index)
    .slice(0, MAX_PAGES)
    .map((entry) => entry.page)
}
