// Vite build of the renderer (React + MUI) into renderer/dist, served by Electron's app:// protocol
// and by `restore serve`. Relative base so the same build works under both. `@api/*` resolves to
// the shared API contract (the renderer imports its types only).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (relative: string): string => decodeURIComponent(new URL(relative, import.meta.url).pathname);

export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [react()],
  resolve: { alias: { '@api': here('../electron/api') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
