/** The eval's outputs: a table for people, JUnit XML for CI, and the pass rate that decides the exit code. */
import type { CaseResult } from './runner'

/** Passed share of the cases that count (known gaps don't). */
export function passRate(results: readonly CaseResult[]): { passed: number; counted: number; rate: number } {
  const counted = results.filter((result) => result.status === 'pass' || result.status === 'fail')
  const passed = counted.filter((result) => result.status === 'pass').length
  return { passed, counted: counted.length, rate: counted.length === 0 ? 1 : passed / counted.length }
}

const LABEL: Record<CaseResult['status'], string> = { pass: 'PASS', fail: 'FAIL', xfail: 'XFAIL', xpass: 'XPASS' }

/** One line per case, in columns, then the failures spelled out. */
export function formatTable(results: readonly CaseResult[]): string {
  const rows = results.map((result) => [
    LABEL[result.status],
    result.case.id,
    result.case.kind,
    `${Math.round(result.ms)} ms`,
    result.tools.join(', ') || '-',
  ])
  const header = ['RESULT', 'CASE', 'KIND', 'TIME', 'TOOLS']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()
  const out = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)]
  const explained = results.filter((result) => result.status !== 'pass')
  if (explained.length > 0) out.push('')
  for (const result of explained) {
    const why = result.status === 'xpass' ? 'passes now: drop its knownGap' : result.failures.join('; ')
    out.push(`${LABEL[result.status]} ${result.case.id}: ${why}${result.case.knownGap && result.status === 'xfail' ? ` (known gap: ${result.case.knownGap})` : ''}`)
  }
  return out.join('\n')
}

/** JUnit XML: one testcase per case; a known gap that still fails is `skipped`. */
export function formatJUnit(results: readonly CaseResult[], suiteName = 'duo-chat eval'): string {
  const failures = results.filter((result) => result.status === 'fail').length
  const skipped = results.filter((result) => result.status === 'xfail').length
  const seconds = (ms: number) => (ms / 1000).toFixed(3)
  const total = results.reduce((sum, result) => sum + result.ms, 0)
  const cases = results.map((result) => {
    const open = `    <testcase classname="eval.${xml(result.case.kind.replace(/\s+/g, '_'))}" name="${xml(result.case.id)}" time="${seconds(result.ms)}"`
    if (result.status === 'fail') {
      const message = result.failures.join('; ')
      return `${open}>\n      <failure message="${xml(message)}">${xml(result.failures.join('\n'))}</failure>\n    </testcase>`
    }
    if (result.status === 'xfail') return `${open}>\n      <skipped message="${xml(`known gap: ${result.case.knownGap ?? ''}`)}"/>\n    </testcase>`
    if (result.status === 'xpass') return `${open}>\n      <system-out>${xml('A known gap passes now: drop its knownGap.')}</system-out>\n    </testcase>`
    return `${open}/>`
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${seconds(total)}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}

function xml(text: string): string {
  // Characters XML 1.0 forbids are dropped; model output can hold anything.
  return text
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
