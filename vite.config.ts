import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// Peers and dependencies stay outside the ES build: the host's bundler resolves one copy of each.
const external = ['vue', 'pinia', '@apollo/client', 'graphql', 'graphql-ws', 'rxjs', 'marked', 'dompurify']

export default defineConfig({
  plugins: [vue()],
  build: {
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: 'duo-chat-drawer',
      cssFileName: 'duo-chat-drawer',
    },
    rollupOptions: {
      external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'mocks/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    // graphql-ws must share the one copy of graphql that the schema was built with.
    server: { deps: { inline: ['graphql-ws'] } },
  },
})
