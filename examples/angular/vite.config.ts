import angular from '@analogjs/vite-plugin-angular';
import { defineConfig } from 'vite';

// Angular's compiler leaves class metadata decorators behind; Vite's own transform lowers them.
export default defineConfig({
  plugins: [angular({ tsconfig: './tsconfig.json' })],
  oxc: { decorator: { legacy: true } },
});
