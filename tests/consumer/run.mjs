// The consumer test: packs the package as npm would publish it, installs the tarball into the
// hosts here, and checks what an adopting team would hit: the tarball's contents, publint and
// attw, importing in Node with no DOM, type-checking a strict Vue + TypeScript app and a plain
// TypeScript script-tag host (no shims), and building both. Run after `npm run build`.
// Build tools (vite, vue-tsc, tsc) come from the repository's node_modules; the package, its
// dependencies and its peers are installed from the tarball (from the npm cache when they are there).
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const started = performance.now()
const results = []

function step(name, action) {
  const t0 = performance.now()
  try {
    action()
    results.push({ name, ok: true })
    console.log(`✓ ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
  } catch (error) {
    results.push({ name, ok: false })
    console.error(`✗ ${name}\n${error.stdout ?? ''}${error.stderr ?? ''}${error.stdout || error.stderr ? '' : error.message}`)
  }
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: undefined } })
}

if (!existsSync(join(root, 'dist', 'types', 'src', 'index.d.ts'))) {
  console.error('tests/consumer: no built package; run `npm run build` first.')
  process.exit(1)
}

const packDir = mkdtempSync(join(tmpdir(), 'duo-chat-drawer-pack-'))
let tarball = ''

step('npm pack: only dist, README and LICENSE, no tests', () => {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', packDir], root))
  tarball = join(packDir, packed.filename)
  const files = packed.files.map((file) => file.path)
  const stray = files.filter((path) => !/^(dist\/|README\.md$|LICENSE$|package\.json$)/.test(path))
  if (stray.length) throw new Error(`unexpected files in the tarball: ${stray.join(', ')}`)
  const tests = files.filter((path) => /\.(test|spec|test-d)\.|__tests__|(^|\/)(tests?|e2e)\//.test(path))
  if (tests.length) throw new Error(`test files in the tarball: ${tests.join(', ')}`)
  for (const needed of ['LICENSE', 'README.md', 'dist/duo-chat-drawer.js', 'dist/mocks.js', 'dist/duo-chat-drawer.iife.js', 'dist/duo-chat-drawer.css']) {
    if (!files.includes(needed)) throw new Error(`${needed} is missing from the tarball`)
  }
  for (const [entry, conditions] of Object.entries(rootPackage.exports)) {
    if (entry === './package.json') continue
    if (!conditions.types || !files.includes(conditions.types.slice(2))) throw new Error(`exports["${entry}"] has no built types in the tarball`)
  }
  console.log(`  ${files.length} files, ${(packed.size / 1024).toFixed(0)} kB packed`)
})

step('publint', () => {
  const out = run(bin('publint'), ['run', '--strict', '--pack', 'npm'], root)
  if (!/All good/.test(out)) throw new Error(out)
})

// attw reads only the tarball: it runs while the hosts install and type-check.
const attwStarted = performance.now()
const attw = new Promise((resolve) => {
  execFile(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], { cwd: root, encoding: 'utf8' }, (error, stdout, stderr) =>
    resolve({ error, stdout, stderr, seconds: (performance.now() - attwStarted) / 1000 }),
  )
})

const nodeModules = join(here, 'node_modules')
step('install the tarball and its peers into tests/consumer', () => {
  rmSync(nodeModules, { recursive: true, force: true })
  // msw is the optional peer that duo-chat-drawer/mocks needs; a host adds it itself.
  run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball, `msw@${rootPackage.devDependencies.msw}`], here)
  const installed = JSON.parse(readFileSync(join(nodeModules, 'duo-chat-drawer', 'package.json'), 'utf8'))
  if (installed.version !== rootPackage.version) throw new Error('the installed package is not the packed one')
  for (const peer of ['vue', 'pinia', '@apollo/client', 'graphql', 'graphql-ws', 'rxjs', 'dompurify', 'marked']) {
    if (!existsSync(join(nodeModules, peer, 'package.json'))) throw new Error(`${peer} was not installed with the package`)
  }
})

step('declarations name no Vite-only module (?raw, .graphql, .vue sources)', () => {
  const typesDir = join(nodeModules, 'duo-chat-drawer', 'dist')
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
  for (const file of walk(typesDir).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8')
    const bad = text.match(/(?:from|import)\s*\(?\s*['"][^'"]*(?:\?\w+|\.graphql|\.vue|\.ts)['"]/)
    if (bad) throw new Error(`${file}: ${bad[0]}`)
  }
})

step('import in Node with no DOM (SSR)', () => {
  console.log(`  ${run(process.execPath, ['ssr-import.mjs'], here).trim()}`)
})

const vueApp = join(here, 'vue-app')
step('Vue + TypeScript host: vue-tsc (strict, no shims) with the public-API type tests', () => {
  const typeTests = join(vueApp, 'src', 'type-tests')
  rmSync(typeTests, { recursive: true, force: true })
  cpSync(join(root, 'tests', 'types'), typeTests, { recursive: true })
  run(bin('vue-tsc'), ['--noEmit', '-p', 'tsconfig.json'], vueApp)
})

step('Vue + TypeScript host: vite build', () => {
  rmSync(join(vueApp, 'src', 'type-tests'), { recursive: true, force: true })
  run(bin('vite'), ['build'], vueApp)
  const assets = readdirSync(join(vueApp, 'dist', 'assets'))
  const css = assets.filter((f) => f.endsWith('.css')).map((f) => readFileSync(join(vueApp, 'dist', 'assets', f), 'utf8')).join('')
  if (!css.includes('.duo-chat-drawer')) throw new Error("the app's CSS lacks duo-chat-drawer/style.css")
  const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(vueApp, 'dist', 'assets', f), 'utf8')).join('')
  if (!js.includes('Chat prompt')) throw new Error("the app's bundle lacks the drawer")
})

const scriptHost = join(here, 'script-host')
step('script-tag host: tsc with duo-chat-drawer/standalone types (strict, lib check on) and emit', () => {
  rmSync(join(scriptHost, 'dist'), { recursive: true, force: true })
  // Lib checking is on so that our declarations are checked under this host's flags too; errors
  // inside other packages' declarations (Apollo's under exactOptionalPropertyTypes, ...) are theirs.
  let output = ''
  try {
    output = run(bin('tsc'), ['-p', 'tsconfig.json'], scriptHost)
  } catch (error) {
    output = `${error.stdout ?? ''}${error.stderr ?? ''}`
  }
  const errors = output.split('\n').filter((line) => /error TS\d+/.test(line))
  const ours = errors.filter((line) => !line.includes('node_modules/') || line.includes('node_modules/duo-chat-drawer/'))
  if (ours.length) throw new Error(ours.join('\n'))
  if (errors.length) console.log(`  (${errors.length} errors in other packages' declarations ignored)`)
  if (!existsSync(join(scriptHost, 'dist', 'host.js'))) throw new Error('tsc emitted no host.js')
  // The script loads its on-demand parts (the markdown renderer, @rails/actioncable) from beside itself.
  for (const file of ['duo-chat-drawer.iife.js', 'duo-chat-drawer.renderer.js', 'duo-chat-drawer.actioncable.js']) {
    if (!existsSync(join(nodeModules, 'duo-chat-drawer', 'dist', file))) throw new Error(`the page has no ${file} to load`)
  }
})

const attwResult = await attw
results.push({ name: 'attw', ok: !attwResult.error })
if (attwResult.error) console.error(`✗ attw (ESM-only profile)\n${attwResult.stdout}${attwResult.stderr}`)
else console.log(`✓ attw (ESM-only profile) (${attwResult.seconds.toFixed(1)} s, alongside the hosts)`)

rmSync(packDir, { recursive: true, force: true })
const failed = results.filter((r) => !r.ok).length
console.log(`\nconsumer test: ${results.length - failed} passed, ${failed} failed (${((performance.now() - started) / 1000).toFixed(1)} s)`)
process.exit(failed ? 1 : 0)
