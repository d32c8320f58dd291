/**
 * `UpstreamBudget`: the one Durable Object that holds the whole deployment to `budget` upstream requests a
 * minute, whatever the number of hubs, isolates and regions. Its bucket lives in memory: an object is only
 * evicted after sitting idle for longer than a minute, and a bucket idle that long is full anyway.
 */
import { systemClock } from '../../platform.js';
import { defaultViewerBudget, SharedBudget } from '../budget.js';
import { DEFAULT_BUDGET } from '../options/options.js';
import { PER_MINUTE_HEADER, PER_VIEWER_HEADER } from './protocol.js';

export class UpstreamBudget {
  #bucket: SharedBudget | null = null;
  /** Whether the last upstream request any hub sent reached RealtimeKit; null before the first. */
  #reachable: boolean | null = null;
  #refused = false;
  /** Requests this object answered since it started: for operators and the benchmark. */
  readonly #stats = { grants: 0, refusals: 0, reports: 0, requests: 0 };

  #bucketFor(request: Request): SharedBudget {
    const said = (header: string, fallback: number): number => {
      const n = Number(request.headers.get(header));
      return Number.isFinite(n) && n > 0 ? n : fallback;
    };
    const perMinute = said(PER_MINUTE_HEADER, this.#bucket?.perMinute ?? DEFAULT_BUDGET);
    const perViewer = said(PER_VIEWER_HEADER, defaultViewerBudget(perMinute));
    if (this.#bucket === null || perMinute !== this.#bucket.perMinute || perViewer !== this.#bucket.perViewer) {
      this.#bucket = new SharedBudget(perMinute, perViewer, systemClock);
    }
    return this.#bucket;
  }

  fetch(request: Request): Response {
    const bucket = this.#bucketFor(request);
    const { pathname, searchParams } = new URL(request.url);
    this.#stats.requests++;
    if (pathname === '/grant') {
      const priority = searchParams.get('priority') === 'background' ? 'background' : 'read';
      const grant = bucket.grant(priority, searchParams.get('viewer') ?? undefined);
      if (grant.ok) this.#stats.grants++;
      else this.#stats.refusals++;
      return Response.json(grant);
    }
    if (pathname === '/stats') return Response.json(this.#stats);
    if (pathname === '/reached') {
      this.#stats.reports++;
      const ok = searchParams.get('ok');
      this.#reachable = ok === '1' || ok === 'refused';
      this.#refused = ok === 'refused';
      return new Response(null, { status: 204 });
    }
    if (pathname === '/health') {
      return Response.json({
        reachable: this.#reachable,
        refused: this.#refused,
        perMinute: bucket.perMinute,
        left: bucket.left,
      });
    }
    return new Response(null, { status: 404 });
  }
}
