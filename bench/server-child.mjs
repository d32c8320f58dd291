// @ts-check
/**
 * The server benchmark's server: `createRecordingServer` from dist/, alone in this process so its memory is
 * its own, listening on 127.0.0.1. RealtimeKit is the parent's simulator, over loopback HTTP.
 */
import { createRecordingServer } from '../dist/server/index.js';
import { listen } from '../dist/server/node.js';

const upstream = process.env.BENCH_UPSTREAM ?? '';
const server = createRecordingServer({
  accountId: 'bench',
  appId: 'bench',
  apiToken: 'bench-api-token',
  apiBase: `${upstream}/client/v4`,
  tokenSecret: process.env.BENCH_SECRET ?? '',
  webhookKeyUrl: `${upstream}/.well-known/webhooks.json`,
});
const listening = await listen(server, { port: 0 });
const memory = () => {
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
};
process.on('message', (message) => {
  if (message === 'memory') process.send?.({ memory: memory(), stats: server.stats() });
  if (message === 'stop') void listening.close().then(() => process.exit(0));
});
process.send?.({ url: listening.url });
