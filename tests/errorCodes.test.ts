/**
 * docs/guide/errors.md lists every error code the drawer or the mock gateway can produce. These
 * tests keep it from drifting: a code raised anywhere in `src/` or `mocks/` must have its row, a
 * row must name a code that something still raises or knows, the letter must match the layer
 * column, and the sentence column must be what the drawer really says.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ERROR_SENTENCES } from '../mocks/gateway/errors'
import { TRANSPORT_ERRORS } from '../mocks/transport/errors'
import { defaultErrorMessage, describeError } from '../src/state/errorMessages'
import { CLIENT_ERROR_CODES } from '../src/transport/errors'

const root = fileURLToPath(new URL('..', import.meta.url))
const CODE = /\b[AGM]\d{4}\b/g
const LAYERS: Record<string, string> = { M: 'GitLab (monolith)', G: 'AI gateway', A: 'model API' }

interface Row {
  code: string
  layer: string
  says: string
}

/** The rows of the table under "## Every code". */
function documentedCodes(): Row[] {
  const page = readFileSync(join(root, 'docs/guide/errors.md'), 'utf8')
  const section = page.split(/^## /m).find((part) => part.startsWith('Every code'))
  if (!section) throw new Error('docs/guide/errors.md has no "## Every code" section')
  return section
    .split('\n')
    .filter((line) => /^\| [AGM]\d{4} \|/.test(line))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((cell) => cell.trim())
      return { code: cells[0]!, layer: cells[1]!, says: cells[4]! }
    })
}

/** Source files (no tests) under `dir`, relative to the repository root. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((path) => ['.ts', '.vue'].includes(extname(path)) && !/\.test\.ts$/.test(path) && !path.includes('node_modules'))
    .map((path) => join(dir, path))
}

/** Every code written in the source of `src/` and `mocks/`, with the first file that names it. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of [...sources('src'), ...sources('mocks')]) {
    for (const [code] of readFileSync(join(root, file), 'utf8').matchAll(CODE)) if (!found.has(code)) found.set(code, file)
  }
  return found
}

describe('the error code table (docs/guide/errors.md)', () => {
  const rows = documentedCodes()
  const documented = new Set(rows.map((row) => row.code))

  it('lists each code once, with the layer its letter names', () => {
    expect(rows.length).toBeGreaterThan(30)
    expect(documented.size).toBe(rows.length)
    for (const row of rows) expect(row.layer, row.code).toBe(LAYERS[row.code[0]!])
  })

  it('lists every code raised or known anywhere in src/ and mocks/', () => {
    const missing = [...codesInSource()].filter(([code]) => !documented.has(code)).map(([code, file]) => `${code} (${file})`)
    expect(missing).toEqual([])
  })

  it('lists no code that nothing in src/ or mocks/ raises or knows any more', () => {
    const inSource = codesInSource()
    expect(rows.map((row) => row.code).filter((code) => !inSource.has(code))).toEqual([])
  })

  it("lists the catalogs' codes and the drawer's own", () => {
    for (const code of [...Object.keys(ERROR_SENTENCES), ...Object.keys(TRANSPORT_ERRORS), ...Object.values(CLIENT_ERROR_CODES)]) {
      expect(documented, code).toContain(code)
    }
  })

  it('says for each code exactly what the drawer says, and never the generic sentence', () => {
    const generic = defaultErrorMessage(null)
    for (const row of rows) {
      expect(row.says, row.code).toBe(defaultErrorMessage(row.code))
      expect(row.says, row.code).not.toBe(generic)
    }
  })

  it('gives the drawer\'s own failures the monolith\'s letter, in the 1000 series', () => {
    for (const code of Object.values(CLIENT_ERROR_CODES)) expect(code).toMatch(/^M1\d{3}$/)
    expect(describeError(['GitLab Duo did not answer in time. Error code: M1001'])).toEqual({ code: 'M1001', text: 'GitLab Duo did not answer in time. Try again.' })
  })
})
