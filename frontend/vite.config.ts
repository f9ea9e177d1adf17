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
    // antd (the components this app uses: tables, forms, tabs, drawer, upload, date picker,
    // timeline…) is one ~1.1 MB / ~340 kB gzip vendor chunk, cached across releases; every page
    // is lazy-loaded. Splitting antd itself is not worth the risk.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Vendor chunks by package family (no cycles between them), cached across releases.
        // Do not use maxSize here: splitting a package family
        // arbitrarily creates cross-chunk cycles that break module init order.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/, priority: 4 },
            { name: 'antd', test: /node_modules[\\/]antd[\\/]/, priority: 3 },
            {
              name: 'antd-deps',
              test: /node_modules[\\/](@ant-design|@rc-component|rc-[^\\/]+|@emotion|stylis|dayjs|classnames|@babel[\\/]runtime)[\\/]/,
              priority: 2,
            },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
