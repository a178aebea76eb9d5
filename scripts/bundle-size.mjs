// Prints the min+gz size of the built library (what a Vue host's bundler pulls in), the CSS and
// the script-tag build, file by file (each file gzipped on its own) in KiB (1024 bytes). Vite's ES
// library output keeps its whitespace, so each file is minified here first, the way the host's
// bundler would. `npm run test:size` (.size-limit.mjs) checks the budgets, measured the same way
// but with each group bundled into one file first. Usage: node scripts/bundle-size.mjs [distDir]
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { transformSync } from 'esbuild'

const dir = process.argv[2] ?? 'dist'
const files = readdirSync(dir)
const minGz = (file) => {
  const source = readFileSync(join(dir, file), 'utf8')
  const loader = file.endsWith('.css') ? 'css' : 'js'
  const { code } = transformSync(source, { loader, minify: true, format: loader === 'js' && !file.endsWith('.iife.js') ? 'esm' : undefined })
  return { min: Buffer.byteLength(code), gz: gzipSync(code, { level: 9 }).length }
}
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`
// The chunks a file imports statically, and all it may load (dynamic imports too), transitively.
function closure(entry, withDynamic) {
  const seen = new Set()
  const visit = (file) => {
    if (seen.has(file)) return
    seen.add(file)
    const source = readFileSync(join(dir, file), 'utf8')
    const pattern = withDynamic ? /(?:from|import\()\s*["'`]\.\/([^"'`]+\.js)["'`]/g : /from\s*["']\.\/([^"']+\.js)["']/g
    for (const [, chunk] of source.matchAll(pattern)) visit(chunk)
  }
  visit(entry)
  return [...seen]
}
const rows = [
  ['library with its lazy chunks', closure('duo-chat-drawer.js', true)],
  ['library at load (entry + static chunks)', closure('duo-chat-drawer.js', false)],
  ['style.css', files.filter((f) => f === 'duo-chat-drawer.css')],
  ['mocks.js', files.filter((f) => f === 'mocks.js')],
  ['standalone script (duo-chat-drawer.iife.js)', files.filter((f) => f.endsWith('.iife.js'))],
  // Beside the script, loaded on demand: the renderer (marked, DOMPurify, the highlighter) and @rails/actioncable.
  ['standalone renderer part', files.includes('duo-chat-drawer.renderer.js') ? closure('duo-chat-drawer.renderer.js', true) : []],
  ['standalone @rails/actioncable part', files.filter((f) => f === 'duo-chat-drawer.actioncable.js')],
  ['standalone script with all its parts', files.filter((f) => /^duo-chat-drawer\.(?!js$)[\w-]+\.js$/.test(f))],
]
for (const [label, group] of rows) {
  if (group.length === 0) continue
  const sum = group.map(minGz).reduce((a, b) => ({ min: a.min + b.min, gz: a.gz + b.gz }))
  console.log(`${label.padEnd(44)} min ${kb(sum.min).padStart(10)}   min+gz ${kb(sum.gz).padStart(9)}`)
}
