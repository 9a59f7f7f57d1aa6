import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The dashboard build: one page, hashed assets under /assets, everything bundled (no CDN, works
 * offline), no inline script (the gateway serves it under a strict Content-Security-Policy).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  // Workspace libs (the API's contracts) are bundled from their TypeScript source.
  resolve: { conditions: ['@bulkops/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    target: 'es2022',
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
