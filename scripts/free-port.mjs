// @ts-check
/** A free port, for the scripts, examples and tests that start a process which must be told its port. */
import { createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 now, for a process that takes its port on its command line or in its environment
 * (Next.js, wrangler, redis-server) and cannot pick port 0 itself and say which it took.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
