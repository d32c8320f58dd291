// @ts-check
/**
 * Mounts the demo's backend into Vite's dev and preview servers: the real recording server in front of the
 * RealtimeKit simulator (see demo-backend.mjs).
 */
import { demoBackend } from './demo-backend.mjs';

/**
 * @param {{ prefix?: string, createRecordingServer: typeof import('../../src/server/index.js').createRecordingServer }} options
 * @returns {import('vite').Plugin}
 */
export function realtimeKitSimulator(options) {
  const backend = demoBackend(options);
  /** @type {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void} */
  const middleware = (req, res, next) => {
    void backend.then((b) => {
      b.middleware(req, res, next);
    });
  };
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
