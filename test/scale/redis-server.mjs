// @ts-check
/**
 * A real redis-server for the scale-out tests: Debian's binary on a free port on 127.0.0.1, with no persistence,
 * started by the test and stopped by its PID. `kill()` ends it as a crash would (SIGKILL) and `restart()` brings
 * a new one up on the same port, empty, as a Redis restarted without persistence.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from '../../scripts/free-port.mjs';

/** Whether redis-server is installed here (the scale-out tests skip, saying so, when it is not). */
export function redisServerInstalled() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Resolves once something answers PING on the port (bounded: 100 tries, 50 ms apart). */
async function answersPing(/** @type {number} */ port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.setTimeout(500);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
}

/**
 * @typedef {object} RedisServer
 * @property {string} url redis://127.0.0.1:port
 * @property {number} port
 * @property {() => number | undefined} pid
 * @property {() => Promise<void>} kill SIGKILL, as a crash
 * @property {() => Promise<void>} restart a new, empty server on the same port
 * @property {() => Promise<void>} stop
 */

/** @returns {Promise<RedisServer>} */
export async function startRedisServer() {
  const port = await freePort();
  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null;
  /** @type {Promise<void>} */
  let exited = Promise.resolve();
  const up = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    child = started;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    await answersPing(port);
  };
  const end = async (/** @type {NodeJS.Signals} */ signal) => {
    const running = child;
    if (running === null || running.exitCode !== null || running.pid === undefined) return;
    process.kill(running.pid, signal);
    await exited;
    child = null;
  };
  await up();
  const stopOnExit = () => {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  };
  process.once('exit', stopOnExit);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => child?.pid,
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      await up();
    },
    stop: async () => {
      await end('SIGTERM');
      process.off('exit', stopOnExit);
    },
  };
}
