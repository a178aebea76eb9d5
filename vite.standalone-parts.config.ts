import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { STANDALONE_PART_FILES } from './src/lazy/standalonePartFiles.ts'

// The on-demand parts of the script-tag build: self-contained ES modules (the renderer with marked
// and DOMPurify; @rails/actioncable; no Vue) that duo-chat-drawer.iife.js imports from beside itself when it needs them.
const entry = (file: string) => file.replace(/\.js$/, '')

export default defineConfig({
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    emptyOutDir: false,
    // Relative imports between the parts: the page may serve them from any directory.
    modulePreload: false,
    rollupOptions: {
      input: {
        [entry(STANDALONE_PART_FILES.renderer)]: fileURLToPath(new URL('./src/lazy/rendererModule.ts', import.meta.url)),
        [entry(STANDALONE_PART_FILES.actionCable)]: '@rails/actioncable',
      },
      preserveEntrySignatures: 'exports-only',
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'duo-chat-drawer.part-[name].js' },
    },
  },
})
