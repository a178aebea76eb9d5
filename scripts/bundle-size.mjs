// Prints the min+gz size of the built library (what a Vue host's bundler pulls in), the CSS and
// the script-tag build. Vite's ES library output keeps its whitespace, so each file is minified
// here first, the way the host's bundler would. Usage: node scripts/bundle-size.mjs [distDir]
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
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`
// The library entry and the chunks it imports (the code highlighter is split out).
const library = files.filter((f) => f.endsWith('.js') && f !== 'mocks.js' && !f.endsWith('.iife.js'))
const rows = [
  ['library (duo-chat-drawer.js + chunks)', library],
  ['library entry alone', library.filter((f) => f === 'duo-chat-drawer.js')],
  ['style.css', files.filter((f) => f === 'duo-chat-drawer.css')],
  ['mocks.js', files.filter((f) => f === 'mocks.js')],
  ['standalone IIFE (all deps inside)', files.filter((f) => f.endsWith('.iife.js'))],
]
for (const [label, group] of rows) {
  if (group.length === 0) continue
  const sum = group.map(minGz).reduce((a, b) => ({ min: a.min + b.min, gz: a.gz + b.gz }))
  console.log(`${label.padEnd(40)} min ${kb(sum.min).padStart(10)}   min+gz ${kb(sum.gz).padStart(9)}`)
}
