/** The eval's report: what CI reads (JUnit XML) and what decides the exit code (the pass rate). */
import { describe, expect, it } from 'vitest'
import type { EvalCase } from '../eval/cases'
import { formatJUnit, formatTable, passRate } from '../eval/report'
import type { CaseResult } from '../eval/runner'

const base: EvalCase = { id: 'c', kind: 'resource tool', turns: [{ question: 'q' }], expect: {} }
const result = (id: string, status: CaseResult['status'], failures: string[] = [], knownGap?: string): CaseResult => ({
  case: { ...base, id, ...(knownGap ? { knownGap } : {}) },
  status,
  failures,
  ms: 12,
  tools: ['issue_reader'],
})

describe('eval report', () => {
  const results = [
    result('ok', 'pass'),
    result('broken <"&">', 'fail', ['missing fact "Safari"', 'leaked "Secret\u0000"']),
    result('gap', 'xfail', ['missing fact'], 'no history yet'),
    result('fixed-gap', 'xpass', [], 'no history yet'),
  ]

  it('counts only the cases that are not known gaps in the pass rate', () => {
    expect(passRate(results)).toEqual({ passed: 1, counted: 2, rate: 0.5 })
    expect(passRate([])).toEqual({ passed: 0, counted: 0, rate: 1 })
  })

  it('writes JUnit XML with failures, known gaps as skipped, and everything escaped', () => {
    const xml = formatJUnit(results)
    expect(xml).toContain('<testsuite name="duo-chat eval" tests="4" failures="1" errors="0" skipped="1" time="0.048">')
    expect(xml).toContain('name="broken &lt;&quot;&amp;&quot;&gt;"')
    expect(xml).toContain('<failure message="missing fact &quot;Safari&quot;; leaked &quot;Secret&quot;">')
    expect(xml).toContain('<skipped message="known gap: no history yet"/>')
    expect(xml).not.toContain('\u0000')
    expect(xml.match(/<testcase /g)).toHaveLength(4)
  })

  it('prints one row per case and explains every case that did not simply pass', () => {
    const table = formatTable(results).split('\n')
    expect(table[0]).toMatch(/^RESULT\s+CASE\s+KIND\s+TIME\s+TOOLS$/)
    expect(table.filter((line) => /^(PASS|FAIL|XFAIL|XPASS)\s/.test(line))).toHaveLength(4 + 3)
    expect(table).toContain('XPASS fixed-gap: passes now: drop its knownGap')
  })
})
