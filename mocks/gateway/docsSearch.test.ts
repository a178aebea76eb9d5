import { describe, expect, it } from 'vitest'
import { createFixtures } from './fixtures'
import { searchDocs } from './docsSearch'

const { docs } = createFixtures()
const titles = (query: string) => searchDocs(docs, query).map((page) => page.title)

describe('searchDocs', () => {
  it.each([
    ['How do I configure a pipeline?', 'CI/CD pipelines'],
    ['What is GitLab Duo Chat?', 'GitLab Duo Chat'],
    ['how to create a merge request', 'Merge requests'],
    ['How do I create an issue?', 'Issues'],
    ['what are epics', 'Epics'],
  ])('ranks the right page first for %j', (query, title) => {
    expect(titles(query)[0]).toBe(title)
  })

  it('returns at most two pages', () => {
    expect(searchDocs(docs, 'create issue merge request pipeline epic').length).toBeLessThanOrEqual(2)
  })

  it('finds nothing for unrelated or empty queries', () => {
    expect(titles('how do I bake a cake')).toEqual([])
    expect(titles('how do I')).toEqual([])
  })
})
