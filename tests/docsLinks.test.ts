/**
 * The docs' relative links must lead somewhere: README.md and docs/**.md are read the way a
 * reader clicks through them on GitHub, and every relative link (and its #anchor) is checked
 * against the files and headings that exist. External links (http:, mailto:) are not fetched.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Lexer, marked, type Token, type Tokens } from 'marked'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

interface Site {
  /** Text of a file by its path relative to the repository root, or undefined if it is not a file. */
  read(path: string): string | undefined
  /** Whether a file or folder exists at the path relative to the repository root. */
  exists(path: string): boolean
}

interface BrokenLink {
  file: string
  href: string
  reason: string
}

// The text GitHub derives an anchor from: the heading's rendered text, without markup.
function plainText(tokens: Token[] | undefined): string {
  return (tokens ?? []).map((token) => ('tokens' in token && token.tokens ? plainText(token.tokens) : 'text' in token ? String(token.text) : '')).join('')
}

// GitHub's anchors (github-slugger): lower case, punctuation and symbols dropped, spaces become
// hyphens, and a repeated heading gets -1, -2, ...
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  marked.walkTokens(Lexer.lex(markdown), (token) => {
    if (token.type !== 'heading') return
    const base = plainText((token as Tokens.Heading).tokens).toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  })
  return anchors
}

function linksOf(markdown: string): string[] {
  const hrefs: string[] = []
  marked.walkTokens(Lexer.lex(markdown), (token) => {
    if (token.type === 'link' || token.type === 'image') hrefs.push((token as Tokens.Link | Tokens.Image).href)
  })
  return hrefs
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i

/** Every relative link in the given markdown files that leads to no file, or to no heading. */
function brokenLinks(files: readonly string[], site: Site): { broken: BrokenLink[]; checked: number } {
  const broken: BrokenLink[] = []
  let checked = 0
  for (const file of files) {
    const text = site.read(file)
    if (text === undefined) throw new Error(`${file} is not a readable file`)
    for (const href of linksOf(text)) {
      if (EXTERNAL.test(href)) continue
      checked += 1
      const [rawPath, anchor] = href.split('#', 2) as [string, string | undefined]
      const path = decodeURIComponent(rawPath)
      if (path.startsWith('/')) {
        broken.push({ file, href, reason: 'absolute paths do not work on GitHub or in the package; use a relative path' })
        continue
      }
      const target = path === '' ? file : normalize(join(dirname(file), path)).split(sep).join('/')
      if (target === '..' || target.startsWith('../')) {
        broken.push({ file, href, reason: 'leads outside the repository' })
        continue
      }
      if (!site.exists(target)) {
        broken.push({ file, href, reason: `${target} does not exist` })
        continue
      }
      if (anchor === undefined || anchor === '') continue
      const targetText = extname(target) === '.md' ? site.read(target) : undefined
      if (targetText === undefined) {
        broken.push({ file, href, reason: `#${anchor} points into ${target}, which is not a markdown file` })
      } else if (!anchorsOf(targetText).has(decodeURIComponent(anchor).toLowerCase())) {
        broken.push({ file, href, reason: `${target} has no heading for #${anchor}` })
      }
    }
  }
  return { broken, checked }
}

function markdownUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`
    if (entry.isDirectory()) return markdownUnder(path)
    return entry.name.endsWith('.md') ? [path] : []
  })
}

const repository: Site = {
  read: (path) => {
    const full = join(root, path)
    return existsSync(full) && statSync(full).isFile() ? readFileSync(full, 'utf8') : undefined
  },
  exists: (path) => existsSync(join(root, path)),
}

function memorySite(files: Record<string, string>): Site {
  return {
    read: (path) => files[path],
    exists: (path) => path in files || Object.keys(files).some((name) => name.startsWith(`${path}/`)),
  }
}

describe('the docs link check', () => {
  it('reports a link to a missing file and a missing heading, and accepts good ones', () => {
    const site = memorySite({
      'README.md': [
        '# Title',
        'See [the guide](docs/guide.md), [its keys](docs/guide.md#keys-and-focus), [setup](#quick-start),',
        '[gone](docs/missing.md), [no such part](docs/guide.md#nowhere) and [the source](src/index.ts).',
        '## Quick start',
      ].join('\n'),
      'docs/guide.md': '# Guide\n\n## Keys and focus\n\nBack to the [README](../README.md#title).',
      'src/index.ts': 'export {}',
    })
    expect(brokenLinks(['README.md', 'docs/guide.md'], site)).toEqual({
      checked: 7,
      broken: [
        { file: 'README.md', href: 'docs/missing.md', reason: 'docs/missing.md does not exist' },
        { file: 'README.md', href: 'docs/guide.md#nowhere', reason: 'docs/guide.md has no heading for #nowhere' },
      ],
    })
  })

  it('builds anchors as GitHub does: code and punctuation in headings, repeated headings', () => {
    const site = memorySite({
      'a.md': [
        '## Test kit for host apps: `duo-chat-drawer/mocks`',
        '## `createMockGateway(options)`',
        '## Tests',
        '## Tests',
        '[1](#test-kit-for-host-apps-duo-chat-drawermocks) [2](#createmockgatewayoptions) [3](#tests) [4](#tests-1) [5](#tests-2)',
      ].join('\n'),
    })
    expect(brokenLinks(['a.md'], site).broken).toEqual([{ file: 'a.md', href: '#tests-2', reason: 'a.md has no heading for #tests-2' }])
  })

  it('ignores links in code, does not fetch external links, and refuses paths that leave the repository', () => {
    const site = memorySite({
      'docs/a.md': [
        '`[inline](nowhere.md)` and https://example.com and [mail](mailto:a@example.com)',
        '```md',
        '[fenced](nowhere.md)',
        '```',
        '[outside](../../shared/schema.graphql) [absolute](/docs/a.md)',
      ].join('\n'),
    })
    expect(brokenLinks(['docs/a.md'], site).broken.map(({ href, reason }) => [href, reason])).toEqual([
      ['../../shared/schema.graphql', 'leads outside the repository'],
      ['/docs/a.md', 'absolute paths do not work on GitHub or in the package; use a relative path'],
    ])
  })
})

describe('README.md and docs/', () => {
  const pages = ['README.md', ...markdownUnder('docs')]

  it('link only to files and headings that exist', () => {
    expect(pages).toContain('docs/index.md')
    const { broken, checked } = brokenLinks(pages, repository)
    expect(broken).toEqual([])
    expect(checked).toBeGreaterThan(pages.length)
  })

  it('list every docs page in docs/index.md', () => {
    const index = linksOf(repository.read('docs/index.md') ?? '')
      .filter((href) => !EXTERNAL.test(href))
      .map((href) => normalize(join('docs', href.split('#')[0] ?? '')).split(sep).join('/'))
    const unlisted = pages.filter((page) => page.startsWith('docs/') && page !== 'docs/index.md' && !index.includes(page))
    expect(unlisted, 'pages missing from docs/index.md').toEqual([])
  })

  it('keep the README short', () => {
    const lines = (repository.read('README.md') ?? '').split('\n').length
    expect(lines, 'README.md lines (the rest belongs in docs/)').toBeLessThanOrEqual(220)
  })
})
