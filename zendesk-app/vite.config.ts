import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const appRoot = fileURLToPath(new URL('.', import.meta.url))
/** The staged app lives at the repository root: dist/zendesk-app (scripts/stage-app.ts fills the rest). */
const assetsDir = fileURLToPath(new URL('../dist/zendesk-app/assets', import.meta.url))

export default defineConfig({
  root: `${appRoot}src`,
  // Zendesk serves the app's assets from a path of its own: every URL in iframe.html must be relative.
  base: './',
  plugins: [react()],
  // The root node_modules holds a React 17 (hoisted for an old Garden dependency's peer range): one
  // React, the app's, must serve every import.
  resolve: { dedupe: ['react', 'react-dom', 'styled-components'] },
  build: {
    outDir: assetsDir,
    emptyOutDir: true,
    assetsDir: '.',
    // No source maps: they would be packaged (and reviewed) with the app.
    sourcemap: false,
    rollupOptions: { input: `${appRoot}src/iframe.html` },
  },
})
