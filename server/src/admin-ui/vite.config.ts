import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const uiRoot = fileURLToPath(new URL('./src', import.meta.url))
/** Served by the backend at /admin from dist/admin-ui at the repository root. */
const outDir = fileURLToPath(new URL('../../../dist/admin-ui', import.meta.url))

export default defineConfig({
  root: uiRoot,
  base: '/admin/',
  plugins: [react()],
  // One React and one styled-components for Garden and the console (see zendesk-app/vite.config.ts).
  resolve: { dedupe: ['react', 'react-dom', 'styled-components'] },
  build: { outDir, emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
})
