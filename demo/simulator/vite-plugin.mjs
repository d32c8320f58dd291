// @ts-check
/** Mounts the RealtimeKit simulator into Vite's dev and preview servers. */
import { connectSimulator } from './middleware.mjs';

/** @param {{ prefix?: string }} [options] @returns {import('vite').Plugin} */
export function realtimeKitSimulator(options = {}) {
  const { middleware } = connectSimulator(options);
  return {
    name: 'realtimekit-simulator',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
