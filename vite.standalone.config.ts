import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// The script-tag build: one IIFE with Vue, Pinia, Apollo, marked and DOMPurify inside, that sets
// `window.DuoChat` and registers <duo-chat-drawer>.
export default defineConfig({
  plugins: [
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
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
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
