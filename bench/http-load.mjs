// @ts-check
/**
 * The loopback clients of bench/fast-paths.mjs, on raw sockets so that the client costs little beside the
 * servers it measures (node:http's own client would cost about what the bare server does): keep-alive
 * request loops that run for a fixed time, and SSE viewers that count the events they are sent.
 * Every loop is bounded: by a deadline, by a count, or by a timeout that throws.
 */
import { connect } from 'node:net';

const HOST = '127.0.0.1';
const HEAD_END = Buffer.from('\r\n\r\n');
const LENGTH = Buffer.from('\r\nContent-Length:');
const LENGTH_LOWER = Buffer.from('\r\ncontent-length:');

/**
 * Where the first response in `buffer` ends, and its status; null while it is incomplete.
 * @param {Buffer} buffer
 * @returns {{ status: number, end: number } | null}
 */
export function parseResponse(buffer) {
  const headEnd = buffer.indexOf(HEAD_END);
  if (headEnd < 0) return null;
  // `HTTP/1.1 200`: three digits at a fixed place.
  const status = ((buffer[9] ?? 0) - 48) * 100 + ((buffer[10] ?? 0) - 48) * 10 + ((buffer[11] ?? 0) - 48);
  // Both spellings servers use; a regular expression over the decoded head would cost the client more.
  let field = buffer.indexOf(LENGTH);
  if (field < 0 || field > headEnd) field = buffer.indexOf(LENGTH_LOWER);
  if (field >= 0 && field < headEnd) {
    const from = field + LENGTH.length;
    const end = headEnd + 4 + Number(buffer.toString('latin1', from, buffer.indexOf('\r', from)));
    return buffer.length >= end ? { status, end } : null;
  }
  const head = buffer.toString('latin1', 0, headEnd);
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) return { status, end: headEnd + 4 };
  let at = headEnd + 4;
  while (at < buffer.length) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    at = lineEnd + 2 + size + 2;
    if (size === 0 && at <= buffer.length) return { status, end: at };
  }
  return null;
}

/**
 * `connections` keep-alive sockets, each sending its next request as soon as the last is answered, until
 * `durationMs` has passed. `request(n, c)` gives the bytes of the n-th request (on connection c).
 * @param {{ port: number, connections: number, durationMs: number, request: (n: number, c: number) => Buffer }} options
 */
export async function requestLoop({ port, connections, durationMs, request }) {
  const started = performance.now();
  const deadline = started + durationMs;
  let issued = 0;
  let completed = 0;
  /** @type {Map<number, number>} answers by status */
  const statuses = new Map();
  await Promise.all(
    Array.from(
      { length: connections },
      (_, c) =>
        new Promise((resolve, reject) => {
          const socket = connect({ host: HOST, port, noDelay: true });
          socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
          /** @type {Buffer} */
          let pending = Buffer.alloc(0);
          const send = () => socket.write(request(issued++, c));
          socket.once('connect', send);
          socket.on('data', (/** @type {Buffer} */ chunk) => {
            pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
            const answer = parseResponse(pending);
            if (answer === null) return;
            completed++;
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            pending = pending.subarray(answer.end);
            if (performance.now() < deadline) send();
            else socket.end();
          });
          socket.once('close', resolve);
          socket.once('error', reject);
        }),
    ),
  );
  return { completed, elapsedMs: performance.now() - started, statuses };
}

/** An HTTP/1.1 request's bytes. @param {string} method @param {string} path @param {Record<string, string>} headers @param {Buffer} [body] */
export function requestBytes(method, path, headers, body) {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${HOST}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

/**
 * `promise`, or an error once `ms` have passed without it.
 * @template T @param {Promise<T>} promise @param {number} ms @param {string} what
 * @returns {Promise<T>}
 */
export async function within(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`${what} did not arrive within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What starts each SSE event's data line; JSON escapes newlines, so it cannot occur inside one. */
const DATA = '\ndata: ';

/**
 * SSE viewers on one server, counting the events each is sent (comments and `retry:` frames are not events).
 * @param {number} port
 */
export function viewers(port) {
  /** @type {import('node:net').Socket[]} */
  const sockets = [];
  let events = 0;
  let refused = 0;
  /** @type {{ total: number, resolve: () => void } | null} */
  let waiting = null;
  const counted = (/** @type {number} */ n) => {
    events += n;
    if (waiting !== null && events >= waiting.total) {
      const { resolve } = waiting;
      waiting = null;
      resolve();
    }
  };

  /** Opens one viewer; resolves once its first event came (or its answer was not a stream). @param {Buffer} request */
  const openOne = (request) =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: HOST, port, noDelay: true });
      sockets.push(socket);
      let seen = 0;
      let carry = '';
      let first = true;
      socket.once('connect', () => socket.write(request));
      socket.on('data', (/** @type {Buffer} */ chunk) => {
        const text = carry + chunk.toString('latin1');
        if (first) {
          first = false;
          if (!text.startsWith('HTTP/1.1 200')) {
            refused++;
            socket.destroy();
            resolve(undefined);
            return;
          }
        }
        let n = 0;
        for (let at = text.indexOf(DATA); at >= 0; at = text.indexOf(DATA, at + DATA.length)) n++;
        // A pattern split across chunks is found in the next one; the carry is too short to hold a whole one.
        carry = text.slice(-(DATA.length - 1));
        if (n === 0) return;
        if (seen === 0) resolve(undefined);
        seen += n;
        counted(n);
      });
      socket.once('error', reject);
    });

  return {
    get open() {
      return sockets.length - refused;
    },
    get refused() {
      return refused;
    },
    get events() {
      return events;
    },
    /**
     * Opens `n` viewers, `concurrency` at a time; `request(i)` gives the i-th viewer's request.
     * @param {number} n @param {(i: number) => Buffer} request @param {number} [concurrency]
     */
    async openMany(n, request, concurrency = 64) {
      let next = 0;
      await within(
        Promise.all(
          Array.from({ length: Math.min(concurrency, n) }, async () => {
            while (next < n) await openOne(request(next++));
          }),
        ),
        30_000 + n * 10,
        `${n} viewers`,
      );
    },
    openOne,
    /** Resolves once `total` events in all have arrived; throws after `timeoutMs`. @param {number} total @param {number} timeoutMs */
    async until(total, timeoutMs) {
      if (events >= total) return;
      try {
        await within(
          new Promise((resolve) => {
            waiting = { total, resolve: () => resolve(undefined) };
          }),
          timeoutMs,
          `${total} events`,
        );
      } finally {
        waiting = null;
      }
    },
    close() {
      for (const socket of sockets) socket.destroy();
      sockets.length = 0;
    },
  };
}
