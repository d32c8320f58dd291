/**
 * `UpstreamBudget`: the one Durable Object that holds the whole deployment to `budget` upstream requests a
 * minute, whatever the number of hubs, isolates and regions. Its bucket lives in memory: an object is only
 * evicted after sitting idle for longer than a minute, and a bucket idle that long is full anyway.
 */
import { systemClock } from '../../platform.js';
import { TokenBucket } from '../budget.js';
import { PER_MINUTE_HEADER } from './protocol.js';

export class UpstreamBudget {
  #bucket: TokenBucket | null = null;
  /** Whether the last upstream request any hub sent reached RealtimeKit; null before the first. */
  #reachable: boolean | null = null;

  #bucketFor(request: Request): TokenBucket {
    const perMinute = Number(request.headers.get(PER_MINUTE_HEADER));
    if (
      this.#bucket === null ||
      (Number.isFinite(perMinute) && perMinute > 0 && perMinute !== this.#bucket.perMinute)
    ) {
      this.#bucket = new TokenBucket(perMinute > 0 ? perMinute : 900, systemClock);
    }
    return this.#bucket;
  }

  fetch(request: Request): Response {
    const bucket = this.#bucketFor(request);
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === '/grant') return Response.json(bucket.grant());
    if (pathname === '/reached') {
      this.#reachable = searchParams.get('ok') === '1';
      return new Response(null, { status: 204 });
    }
    if (pathname === '/health') {
      return Response.json({ reachable: this.#reachable, perMinute: bucket.perMinute, left: bucket.left });
    }
    return new Response(null, { status: 404 });
  }
}
