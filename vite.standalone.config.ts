import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig, type Plugin } from 'vite'
import { compactGraphql } from './scripts/vite/compactGraphql.ts'

// The script-tag build: one IIFE with Vue, Pinia and Apollo inside, that sets `window.DuoChat` and
// registers <duo-chat-drawer>. What loads on demand (the markdown renderer with marked and
// DOMPurify) comes from ES modules beside it, built by vite.standalone-parts.config.ts.

const parts = fileURLToPath(new URL('./src/lazy/parts.ts', import.meta.url))
const standaloneParts = fileURLToPath(new URL('./src/lazy/standaloneParts.ts', import.meta.url))

// The library's on-demand imports would be inlined into an IIFE: this build loads the parts' files by URL instead.
const partsBesideTheScript: Plugin = {
  name: 'duo-chat-standalone-parts',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
    return resolved?.id === parts ? standaloneParts : null
  },
}

// An IIFE cannot be split: Rolldown inlines each `import()` by wrapping every module it reaches in
// a lazy initialiser, which costs kilobytes across Vue and Apollo. Everything is in the script
// anyway, so the sources' relative `import()`s become static imports of the same modules here.
const staticDynamicImports: Plugin = {
  name: 'duo-chat-static-dynamic-imports',
  enforce: 'pre',
  transform(code, id) {
    if (!/\/src\/.*\.ts$/.test(id) || !code.includes('import(')) return null
    const hoisted: string[] = []
    const transformed = code.replace(/(?<!typeof\s)\bimport\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*\)/g, (_match, _quote, specifier: string) => {
      const name = `__duoChatInlined${hoisted.length}`
      hoisted.push(`import * as ${name} from ${JSON.stringify(specifier)}`)
      return `Promise.resolve(${name})`
    })
    return hoisted.length ? { code: `${transformed}\n${hoisted.join('\n')}\n`, map: null } : null
  },
}

export default defineConfig({
  plugins: [
    partsBesideTheScript,
    staticDynamicImports,
    compactGraphql(),
    vue(),
    {
      // The IIFE puts its styles into the drawer's shadow root itself (drawer.css?inline); the
      // stylesheet Vite extracts besides would be an unused copy in the package.
      name: 'drop-extracted-css',
      generateBundle(_options, bundle) {
        for (const name of Object.keys(bundle)) if (name.endsWith('.css')) delete bundle[name]
      },
    },
  ],
  define: {
    'process.env.NODE_ENV': JSON.stringify('production'),
    // Every component is a <script setup>: Vue's Options API, devtools hooks and hydration
    // diagnostics would be dead weight in the script.
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  resolve: {
    // rxjs (Apollo's) in its ES2015 build rather than the ES5 one, whose down-levelled classes are bigger.
    conditions: ['es2015', 'module', 'browser', 'production'],
  },
  build: {
    emptyOutDir: false,
    lib: {
      entry: fileURLToPath(new URL('./src/element.ts', import.meta.url)),
      name: 'DuoChat',
      formats: ['iife'],
      fileName: () => 'duo-chat-drawer.iife.js',
    },
  },
})
