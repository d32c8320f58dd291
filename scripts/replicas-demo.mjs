// @ts-check
/**
 * `npm run demo:replicas`: two replicas of the recording server sharing one Redis, behind one page. The simulated
 * RealtimeKit sends its webhooks to replica A only (as a load balancer sends each delivery to one replica), and the
 * page's widgets read and follow replica B: every change they show went A → Redis → B. Redis is Debian's
 * redis-server on a free port with no persistence, started and stopped by this script; everything listens on
 * 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { startSimulatorUpstream } from '../src/simulator/upstream.js';
import { createRecordingServer } from '../dist/server/index.js';
import { listen } from '../dist/server/node.js';
import { freePort, redisServerInstalled, startRedisServer } from '../test/scale/redis-server.mjs';

if (!redisServerInstalled()) {
  process.stderr.write('demo:replicas needs redis-server (Debian: apt-get install redis-server).\n');
  process.exit(2);
}

const redis = await startRedisServer();
const secret = randomBytes(32).toString('hex');
const [portA, portB] = [await freePort(), await freePort()];
const replicaA = `http://127.0.0.1:${portA}`;
const replicaB = `http://127.0.0.1:${portB}`;
const upstream = await startSimulatorUpstream({
  port: 0,
  webhookUrl: `${replicaA}/webhook`,
  seed: true,
  page: { serverUrl: replicaB, tokenSecret: secret },
});

const replica = async (/** @type {string} */ name, /** @type {number} */ port) => {
  const server = createRecordingServer({
    accountId: 'sim-account',
    appId: 'sim-app',
    apiToken: upstream.simulator.apiToken,
    apiBase: `${upstream.url}/client/v4`,
    webhookKeyUrl: `${upstream.url}/.well-known/webhooks.json`,
    tokenSecret: secret,
    cors: { origin: upstream.url },
    redis: redis.url,
    log: (line) => process.stderr.write(`[replica ${name}] ${line}\n`),
  });
  const listening = await listen(server, { port });
  return { server, listening };
};
const replicas = [await replica('A', portA), await replica('B', portB)];

process.stdout.write(
  `Open ${upstream.url}/\n` +
    `  widgets read and follow replica B at ${replicaB}\n` +
    `  the simulator's webhooks reach replica A at ${replicaA} only\n` +
    `  both share Redis at ${redis.url} (pid ${redis.pid()})\n` +
    'Ctrl-C stops everything.\n',
);

const stop = () => {
  void (async () => {
    for (const { server, listening } of replicas) {
      await listening.close();
      await server.close();
    }
    await upstream.close();
    await redis.stop();
    process.exit(0);
  })();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
