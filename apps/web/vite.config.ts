import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The built app (dist/) is served by apps/server at `/` with an SPA fallback; the API lives
 * under `/api` on the same origin. In `vite dev` the API is proxied to the local server.
 */
export default defineConfig({
  plugins: [react()],
  // the bundle verifier's Web Worker (src/verify/verify.worker.ts) is an ES module
  worker: { format: 'es' },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[a-z-]+)[\\/]/,
              priority: 20,
            },
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
});
