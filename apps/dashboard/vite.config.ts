import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

/** Builds the Preact + uPlot UI (src/ui) into dist/ui, where the server serves it. */
export default defineConfig({
  root: 'src/ui',
  base: '/',
  plugins: [preact()],
  build: { outDir: '../../dist/ui', emptyOutDir: true },
});
