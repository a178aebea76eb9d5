// Turns vue-tsc's declarations (dist/types, see tsconfig.build.json) into ones every resolver
// reads: relative specifiers get the `.js` extension that Node's ESM resolution requires
// (`./plugin` -> `./plugin.js`, `./Drawer.vue` -> `./Drawer.vue.js`, `./gateway` ->
// `./gateway/index.js`), and it writes the declarations of `./standalone` and `./style.css`.
// It fails the build when a declaration still points at a Vite-only module (`?raw`, `?inline`) or
// needs Node's types.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

const dist = 'dist'
const typesRoot = join(dist, 'types')

function* declarationFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* declarationFiles(path)
    else if (name.endsWith('.d.ts')) yield path
  }
}

function withExtension(file, specifier) {
  if (!specifier.startsWith('.')) return specifier
  if (specifier.includes('?')) throw new Error(`${file}: a declaration imports the Vite-only module "${specifier}"`)
  if (/\.(js|mjs|cjs)$/.test(specifier)) return specifier
  // Types that TypeScript inlines (a lazily loaded component's props, say) may name a source with its `.ts`.
  if (/\.ts$/.test(specifier) && existsSync(join(dirname(file), specifier.replace(/\.ts$/, '.d.ts')))) return specifier.replace(/\.ts$/, '.js')
  const base = join(dirname(file), specifier)
  if (existsSync(`${base}.d.ts`)) return `${specifier}.js`
  if (existsSync(join(base, 'index.d.ts'))) return `${specifier}/index.js`
  throw new Error(`${file}: cannot find the declaration of "${specifier}"`)
}

let rewritten = 0
for (const file of declarationFiles(typesRoot)) {
  const source = readFileSync(file, 'utf8')
  const output = source
    .replace(/(\bfrom\s*|\bimport\s*)(['"])([^'"]+)\2/g, (_m, head, quote, spec) => `${head}${quote}${withExtension(file, spec)}${quote}`)
    .replace(/\bimport\((['"])([^'"]+)\1\)/g, (_m, quote, spec) => `import(${quote}${withExtension(file, spec)}${quote})`)
  // Node's types may be used inside function bodies (the mocks run in Node too), never in a declaration:
  // a browser host has no @types/node.
  const nodeType = output.match(/reference types="node"|\bNodeJS\.|\bBuffer\b|from ['"]node:/)
  if (nodeType) throw new Error(`${file}: a declaration needs Node's types (${nodeType[0]})`)
  for (const [, spec] of output.matchAll(/['"]([^'"\s]+\.(?:graphql|css)(?:\?\w+)?)['"]/g)) {
    throw new Error(`${file}: a declaration refers to "${spec}"`)
  }
  if (output !== source) {
    writeFileSync(file, output)
    rewritten += 1
  }
}

// A host installs only dependencies and peers: every package the public declarations import (from
// the entry points on) must be one of them, or its @types package must.
const manifest = JSON.parse(readFileSync('package.json', 'utf8'))
const installed = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})])
const shipsTypes = (name) => {
  const path = join('node_modules', name, 'package.json')
  if (!existsSync(path)) return false
  const pkg = JSON.parse(readFileSync(path, 'utf8'))
  return Boolean(pkg.types || pkg.typings || JSON.stringify(pkg.exports ?? {}).includes('"types"') || existsSync(join('node_modules', name, 'index.d.ts')))
}
const typesPackage = (name) => `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`
const reached = new Set()
const visit = (file) => {
  if (reached.has(file)) return
  reached.add(file)
  const text = readFileSync(file, 'utf8')
  for (const [, spec] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) {
    if (spec.startsWith('.')) {
      visit(join(dirname(file), spec.replace(/\.js$/, '.d.ts')))
      continue
    }
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
    if (!(installed.has(name) && shipsTypes(name)) && !installed.has(typesPackage(name))) {
      throw new Error(`${file}: the declarations import "${spec}", whose types a host does not install (neither it with its own types nor ${typesPackage(name)} is a dependency or peer)`)
    }
  }
}
for (const entry of ['src/index.d.ts', 'src/element.d.ts', 'mocks/index.d.ts']) visit(join(typesRoot, entry))

const element = `./${relative(dist, join(typesRoot, 'src', 'element.js'))}`
writeFileSync(
  join(dist, 'standalone.d.ts'),
  `// Types of the script-tag build (duo-chat-drawer.iife.js): the global \`DuoChat\` and <duo-chat-drawer>.
// Add "duo-chat-drawer/standalone" to compilerOptions.types, or /// <reference types="duo-chat-drawer/standalone" />.
import type { DuoChatDrawerElement, DuoChatGlobal } from '${element}'
export type { DuoChatDrawerElement, DuoChatGlobal, MountedDuoChat, MountOptions } from '${element}'
export type * from './types/src/index.js'

declare global {
  /** Set by the script-tag build when it loads. */
  var DuoChat: DuoChatGlobal
  interface HTMLElementTagNameMap {
    'duo-chat-drawer': DuoChatDrawerElement
  }
}
`,
)
writeFileSync(join(dist, 'style.css.d.ts'), '// The drawer\'s stylesheet: imported for its side effect, it exports nothing.\nexport {}\n')
console.log(`finish-types: ${rewritten} declaration files given .js specifiers; wrote standalone.d.ts and style.css.d.ts`)
