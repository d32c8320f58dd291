import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Tell Vue's compiler the tag is a custom element, not a component to resolve.
export default defineConfig({
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'recording-status' } } })],
});
