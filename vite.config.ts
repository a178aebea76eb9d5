import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

const peers = ['vue', 'pinia', '@apollo/client', 'graphql', 'graphql-ws', 'rxjs']

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
      // Peers stay outside the bundle so the host app's single copies are used.
      external: (id) => peers.some((peer) => id === peer || id.startsWith(`${peer}/`)),
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
