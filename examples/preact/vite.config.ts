import { defineConfig } from 'vite';

// Preact's automatic JSX runtime, without a plugin.
export default defineConfig({ oxc: { jsx: { importSource: 'preact' } } });
