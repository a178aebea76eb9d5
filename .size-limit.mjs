// The size budgets of issue 18, checked by `npm run test:size` (part of `npm test`, after
// `npm run build`); docs/guide/installing.md#bundle-size explains them. Each file is bundled and
// minified by esbuild (the ES build keeps Vite's whitespace; a host's bundler minifies it, and
// scripts/bundle-size.mjs measures the same way), gzipped at level 9, and summed per file.
// size-limit leaves out package.json's peers (vue, pinia, @apollo/client, graphql, graphql-ws,
// rxjs, msw) by itself.
import { readFileSync } from 'node:fs'

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))
const dependencies = Object.keys(manifest.dependencies) // marked, dompurify, @rails/actioncable

// ES modules in, ES modules out: no IIFE wrapper or require() shim that a host's bundle lacks.
const esm = (config) => ({ ...config, format: 'esm' })

/** Leaves every `import()` out: what a host's page loads before anything asks for a lazy part. */
const staticImportsOnly = (config) => ({
  ...esm(config),
  plugins: [
    ...(config.plugins ?? []),
    {
      name: 'dynamic-imports-stay-out',
      setup(build) {
        build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined))
      },
    },
  ],
})

/** Every lazy chunk as a file of its own, as the host's bundler splits them. */
const chunked = (config) => ({ ...esm(config), splitting: true })

export default [
  {
    name: 'First load: the library entry, its static chunks and the dependencies they import',
    path: 'dist/duo-chat-drawer.js',
    gzip: true,
    limit: '35 KiB',
    modifyEsbuildConfig: staticImportsOnly,
  },
  {
    name: 'Whole library: the entry and every lazy chunk (dependencies apart)',
    path: 'dist/duo-chat-drawer.js',
    gzip: true,
    limit: '50 KiB',
    ignore: dependencies,
    modifyEsbuildConfig: chunked,
  },
  {
    name: 'Standalone: the script a page loads (Vue, Pinia, Apollo inside)',
    path: 'dist/duo-chat-drawer.iife.js',
    gzip: true,
    limit: '130 KiB',
    modifyEsbuildConfig: esm,
  },
  {
    // Reported, not a budget: the renderer (with marked and DOMPurify) and @rails/actioncable load
    // from beside the script, the renderer once the page is idle, ActionCable only for its transport.
    name: 'Standalone: the script and all its on-demand parts',
    path: ['dist/duo-chat-drawer.iife.js', 'dist/duo-chat-drawer.renderer.js', 'dist/duo-chat-drawer.actioncable.js'],
    gzip: true,
    modifyEsbuildConfig: esm,
  },
]
