/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The backend gateway serves dist/ at "/" with a history fallback.
// In development the API lives on the gateway; override with CAINGHIEN_API.
const backend = process.env.CAINGHIEN_API ?? 'http://127.0.0.1:8000';
const proxied = ['/auth', '/api', '/.well-known'];

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    port: 5190,
    strictPort: true,
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: backend, changeOrigin: false }])),
  },
  preview: {
    port: 5190,
    strictPort: true,
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: backend, changeOrigin: false }])),
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
    // The manifest lets scripts/check-bundle.mjs (run by `make lint`) measure the first load.
    manifest: true,
    // antd stays in the chunks of the routes that use it: a single antd vendor chunk put every
    // component any page uses (~340 kB gzip) on the login screen. Routes are lazy (AppRoutes).
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // React is one vendor chunk, cached across releases; everything else is split by route.
        // Do not use maxSize here: splitting a package family
        // arbitrarily creates cross-chunk cycles that break module init order.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/, priority: 4 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.mjs'],
  },
});
