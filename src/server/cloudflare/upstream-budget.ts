/**
 * `UpstreamBudget`: the one Durable Object that holds the whole deployment to `budget` upstream requests a
 * minute, whatever the number of hubs, isolates and regions. Its bucket lives in memory: an object is only
 * evicted after sitting idle for longer than a minute, and a bucket idle that long is full anyway.
 */
import { systemClock } from '../../platform.js';
import { TokenBucket } from '../budget.js';
import { DEFAULT_BUDGET } from '../options.js';
import { PER_MINUTE_HEADER } from './protocol.js';

export class UpstreamBudget {
  #bucket: TokenBucket | null = null;
  /** Whether the last upstream request any hub sent reached RealtimeKit; null before the first. */
  #reachable: boolean | null = null;
  /** Requests this object answered since it started: for operators and the benchmark. */
  readonly #stats = { grants: 0, refusals: 0, reports: 0, requests: 0 };

  #bucketFor(request: Request): TokenBucket {
    const perMinute = Number(request.headers.get(PER_MINUTE_HEADER));
    if (
      this.#bucket === null ||
      (Number.isFinite(perMinute) && perMinute > 0 && perMinute !== this.#bucket.perMinute)
    ) {
      this.#bucket = new TokenBucket(perMinute > 0 ? perMinute : DEFAULT_BUDGET, systemClock);
    }
    return this.#bucket;
  }

  fetch(request: Request): Response {
    const bucket = this.#bucketFor(request);
    const { pathname, searchParams } = new URL(request.url);
    this.#stats.requests++;
    if (pathname === '/grant') {
      const grant = bucket.grant(searchParams.get('priority') === 'background' ? 'background' : 'read');
      if (grant.ok) this.#stats.grants++;
      else this.#stats.refusals++;
      return Response.json(grant);
    }
    if (pathname === '/stats') return Response.json(this.#stats);
    if (pathname === '/reached') {
      this.#stats.reports++;
      this.#reachable = searchParams.get('ok') === '1';
      return new Response(null, { status: 204 });
    }
    if (pathname === '/health') {
      return Response.json({ reachable: this.#reachable, perMinute: bucket.perMinute, left: bucket.left });
    }
    return new Response(null, { status: 404 });
  }
}
