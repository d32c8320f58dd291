// @ts-check
/**
 * A standard client for the tests: the WHATWG `EventSource` of the `eventsource` package, its `fetch` adding the
 * viewer's bearer token (asked afresh at each connection, as the widget renews it), and a record of what it saw.
 */
import { strict as assert } from 'node:assert';
import { EventSource } from 'eventsource';

/**
 * @param {string} url
 * @param {() => Promise<string>} tokenOf
 */
export function watch(url, tokenOf) {
  /** @type {{ status: number, lastEventId: string | null }[]} */
  const requests = [];
  /** @type {{ id: string, status: string | null }[]} */
  const seen = [];
  /** @type {Set<() => void>} */
  const waiting = new Set();
  const check = () => {
    for (const w of [...waiting]) w();
  };
  const source = new EventSource(url, {
    fetch: async (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('Authorization', `Bearer ${await tokenOf()}`);
      const response = await fetch(input, { ...init, headers });
      requests.push({ status: response.status, lastEventId: headers.get('Last-Event-ID') });
      return response;
    },
  });
  source.addEventListener('recording', (event) => {
    seen.push({ id: event.lastEventId, status: JSON.parse(event.data)?.status ?? null });
    check();
  });
  source.addEventListener('open', check);
  source.addEventListener('error', check);
  return {
    source,
    requests,
    seen,
    statuses: () => seen.map((s) => s.status),
    /** Resolves once `predicate` holds (checked at every event); rejects after `ms`. */
    until(/** @type {() => boolean} */ predicate, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(test);
          reject(new Error(`not within ${ms} ms; requests ${JSON.stringify(requests)}, seen ${JSON.stringify(seen)}`));
        }, ms);
        const test = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiting.delete(test);
          resolve(undefined);
        };
        waiting.add(test);
        test();
      });
    },
  };
}

/**
 * A recording followed to its end by a standard client: every status once, the stream ends after UPLOADED, and the
 * reconnect (its Last-Event-ID the terminal event's) gets 204, so the client stops. `send(status)` delivers a
 * signed webhook with that status.
 * @param {string} url
 * @param {() => Promise<string>} tokenOf
 * @param {(status: string) => Promise<void>} send
 */
export async function followsToTheEnd(url, tokenOf, send) {
  const viewer = watch(url, tokenOf);
  try {
    await viewer.until(() => viewer.seen.length === 1);
    for (const status of ['RECORDING', 'UPLOADING', 'UPLOADED']) await send(status);
    await viewer.until(() => viewer.source.readyState === viewer.source.CLOSED, 10_000);
    assert.deepEqual(viewer.statuses(), ['INVOKED', 'RECORDING', 'UPLOADING', 'UPLOADED']);
    assert.deepEqual(
      viewer.requests.map((q) => [q.status, q.lastEventId]),
      [
        [200, null],
        [204, viewer.seen.at(-1)?.id],
      ],
    );
  } finally {
    viewer.source.close();
  }
}
