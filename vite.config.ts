import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'
import { compactGraphql } from './scripts/vite/compactGraphql.ts'
import { serveStandaloneParts } from './scripts/vite/serveStandaloneParts.ts'
import { lazyOnlyModules } from './scripts/vite/lazyOnlyModules.ts'

const libraryEntry = fileURLToPath(new URL('./src/index.ts', import.meta.url))
// What the page loads when idle (src/lazy/prefetch.ts): the markdown renderer and the on-demand components.
const prefetched = lazyOnlyModules(libraryEntry, [/\/src\/lazy\/rendererModule\.ts$/, /\/src\/lazy\/onDemandBundle\.ts$/])

// Peers and dependencies stay outside the ES build: the host's bundler resolves one copy of each.
// The list is package.json's, so a new dependency cannot end up bundled by mistake. (msw is the
// optional peer of the `duo-chat-drawer/mocks` entry.)
const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}
const external = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]

export default defineConfig({
  plugins: [vue(), compactGraphql(), serveStandaloneParts(), prefetched.plugin],
  build: {
    lib: {
      // dist/duo-chat-drawer.js is the package's entry; dist/mocks.js is `duo-chat-drawer/mocks`, the test kit.
      entry: {
        'duo-chat-drawer': libraryEntry,
        mocks: fileURLToPath(new URL('./mocks/index.ts', import.meta.url)),
      },
      formats: ['es'],
      fileName: (_format, entryName) => `${entryName}.js`,
      cssFileName: 'duo-chat-drawer',
    },
    rollupOptions: {
      // The lazy chunks import what they share with the entry from the entry itself (under short
      // internal names, absent from the types) instead of from extra shared chunks, each with its
      // own request and gzip dictionary: about 1 KiB less for the whole library.
      preserveEntrySignatures: 'allow-extension',
      output: {
        // Everything the page loads when idle in one lazy chunk: the renderer with its code
        // highlighter, and the on-demand components. They are prefetched together anyway, so one
        // request and one gzip dictionary less (0.34 KiB for the whole library). What the first
        // load needs too (render/labels.ts, say) stays in the entry.
        codeSplitting: { includeDependenciesRecursively: false, groups: [{ name: 'lazy', test: prefetched.test }] },
      },
      external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'mocks/**/*.test.ts', 'tests/**/*.test.ts', 'stories/**/*.test.ts'],
    environment: 'node',
    // Host-style imports in tests/hostIntegration.test.ts and the stories read the sources.
    alias: {
      'duo-chat-drawer/mocks': fileURLToPath(new URL('./mocks/index.ts', import.meta.url)),
      'duo-chat-drawer': libraryEntry,
    },
    testTimeout: 15_000,
    // Parts the drawer loads on demand are loaded before each test file (see the file).
    setupFiles: ['tests/setup/preloadLazyParts.ts'],
    // The soak test measures the heap after full collections.
    execArgv: ['--expose-gc'],
    // graphql-ws must share the one copy of graphql that the schema was built with.
    server: { deps: { inline: ['graphql-ws'] } },
  },
})
