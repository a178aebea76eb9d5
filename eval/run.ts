/**
 * `npm run eval`: the regression set through the gateway engine. The scripted model answers unless
 * GATEWAY_OPENAI_* names an OpenAI-compatible endpoint (see docs/mock-gateway.md). Prints a table
 * and the pass rate, writes JUnit XML (EVAL_JUNIT, default eval/results/junit.xml), and exits 1
 * below EVAL_THRESHOLD (default 0.95). EVAL_CASES=id,id runs only those cases.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gatewayOptionsFromEnv } from '../mocks/gatewayEnv'
import { CASES } from './cases'
import { formatJUnit, formatTable, passRate } from './report'
import { runEval } from './runner'

const here = dirname(fileURLToPath(import.meta.url))
const env = process.env
const threshold = Number(env.EVAL_THRESHOLD ?? 0.95)
if (!(threshold >= 0 && threshold <= 1)) throw new Error(`EVAL_THRESHOLD must be from 0 to 1, got "${env.EVAL_THRESHOLD}".`)
const only = env.EVAL_CASES?.split(',').map((id) => id.trim()).filter(Boolean)
const cases = only ? CASES.filter((evalCase) => only.includes(evalCase.id)) : CASES
if (only && cases.length !== only.length) throw new Error(`EVAL_CASES names unknown cases: ${only.filter((id) => !CASES.some((c) => c.id === id)).join(', ')}`)

const fromEnv = gatewayOptionsFromEnv(env)
const realModel = fromEnv.providers !== undefined
const model = fromEnv.providers?.map((provider) => provider.name).join(' → ') ?? 'scripted'
const started = performance.now()
const results = await runEval(cases, {
  gateway: { providers: fromEnv.providers, breaker: fromEnv.breaker },
  latencyScale: Number(env.EVAL_LATENCY_SCALE ?? (realModel ? 60 : 1)),
  answerTimeoutMs: realModel ? 120_000 : 10_000,
})

console.log(formatTable(results))
const { passed, counted, rate } = passRate(results)
const gaps = results.filter((result) => result.status === 'xfail' || result.status === 'xpass').length
const junitPath = resolve(env.EVAL_JUNIT ?? `${here}/results/junit.xml`)
mkdirSync(dirname(junitPath), { recursive: true })
writeFileSync(junitPath, formatJUnit(results))
console.log(
  `\neval (${model}): ${passed}/${counted} passed, pass rate ${(rate * 100).toFixed(1)}% (threshold ${(threshold * 100).toFixed(0)}%)` +
    `${gaps ? `, ${gaps} known gap${gaps === 1 ? '' : 's'} not counted` : ''}, ${Math.round(performance.now() - started)} ms; JUnit: ${junitPath}`,
)
process.exit(rate >= threshold ? 0 : 1)
