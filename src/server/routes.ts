/**
 * The routes of the recording server, as a Hono app over a `Hub`: the same routes and answers whether the hub
 * is in memory (one Node process) or a Durable Object per target. Viewer tokens are checked here, before any
 * hub is asked; webhooks are verified here, over the raw bytes, before anything is parsed.
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { secureHeaders } from 'hono/secure-headers';
import type { RawRecording } from '../api/schema.js';
import type { Clock } from '../platform.js';
import type { Hub, HubEvent, HubTarget, ReadFailure } from './hub.js';
import { eventStream } from './sse.js';
import { createViewerToken, readViewerToken, type ViewerGrant, type ViewerTarget } from './tokens.js';
import { failure } from './envelope.js';
import { webhookRoute, type WebhookCounters, type WebhookRouteConfig } from './webhook/route.js';

export { webhookCounters, type WebhookCounters } from './webhook/route.js';

export interface Health {
  readonly reachable: boolean | null;
  readonly perMinute: number;
  readonly left: number;
}

/** What `authorize` may answer: allow (with download links), refuse, or `{ download }` to say which. */
export type Authorization = boolean | { readonly download: boolean };

export interface RoutesConfig {
  readonly hub: Hub;
  readonly verify: WebhookRouteConfig['verify'];
  readonly secret: string;
  readonly tokenTtl: number;
  readonly authorize: ((request: Request, target: ViewerTarget) => Authorization | Promise<Authorization>) | undefined;
  readonly basePath: string;
  readonly cors: { readonly origin: string | readonly string[] } | undefined;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  readonly health: () => Health | Promise<Health>;
  /** Counted here, read by stats(). */
  readonly webhooks: WebhookCounters;
}

/** Exactly one of `recording_id` and `meeting_id`. */
function queryTarget(c: Context): HubTarget | null {
  const recording = c.req.query('recording_id');
  const meeting = c.req.query('meeting_id');
  if (recording && !meeting) return { kind: 'recording', id: recording };
  if (meeting && !recording) return { kind: 'meeting', id: meeting };
  return null;
}

const viewerTarget = (target: HubTarget): ViewerTarget =>
  target.kind === 'recording' ? { recordingId: target.id } : { meetingId: target.id };

export function recordingRoutes(config: RoutesConfig) {
  const { hub, secret, tokenTtl, clock, log, webhooks } = config;
  let warnedCredentials = false;

  /** Strips what a viewer may not see: download links without the download right (storage_config never survives the schema). */
  const present = (recording: RawRecording | null, grant: ViewerGrant): RawRecording | null =>
    recording === null || grant.download ? recording : { ...recording, download_url: null, audio_download_url: null };

  const allows = async (grant: ViewerGrant, target: HubTarget): Promise<boolean> => {
    const t = grant.target;
    if (target.kind === 'meeting') return 'meetingId' in t && t.meetingId === target.id;
    if ('recordingId' in t) return t.recordingId === target.id;
    return hub.inMeeting(target.id, t.meetingId);
  };

  const upstreamFailure = (c: Context, result: ReadFailure) => {
    if (result.kind === 'config' && !warnedCredentials) {
      warnedCredentials = true;
      log(`recording-status server: ${result.message}`);
    }
    return failure(
      c,
      result.status,
      result.message,
      result.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(result.retryAfterSeconds) },
    );
  };

  const app = new Hono().basePath(config.basePath);
  app.use(secureHeaders());
  if (config.cors) {
    app.use(
      cors({
        origin: typeof config.cors.origin === 'string' ? config.cors.origin : [...config.cors.origin],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Accept', 'If-None-Match', 'Content-Type'],
        exposeHeaders: ['ETag', 'Retry-After', 'Age'],
        maxAge: 600,
      }),
    );
  }

  /** The viewer's grant for a target, or the 401/403 to answer. */
  const authorise = async (c: Context, target: HubTarget): Promise<ViewerGrant | Response> => {
    const header = c.req.header('Authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const grant = token === undefined ? null : await readViewerToken(secret, token);
    if (grant === null) {
      return failure(c, 401, 'A valid viewer token is required.', { 'WWW-Authenticate': 'Bearer' });
    }
    if (!(await allows(grant, target))) return failure(c, 403, 'This viewer token does not cover that recording.');
    return grant;
  };

  const reads = app.use('/recordings', etag()).use('/recordings/*', etag());

  const answerRead = async (c: Context, target: HubTarget, shape: 'one' | 'list') => {
    const grant = await authorise(c, target);
    if (grant instanceof Response) return grant;
    const result = await hub.read(target);
    if (!result.ok) return upstreamFailure(c, result);
    c.header('Cache-Control', 'private, no-store');
    if (result.ageSeconds !== undefined) c.header('Age', String(result.ageSeconds));
    const recording = present(result.recording, grant);
    if (shape === 'one') {
      if (recording === null) return failure(c, 404, 'RealtimeKit has no such recording.');
      return c.json({ success: true, data: recording });
    }
    const data = recording === null ? [] : [recording];
    return c.json({
      success: true,
      data,
      paging: { total_count: data.length, start_offset: data.length ? 1 : 0, end_offset: data.length },
    });
  };

  reads.get('/recordings/active-recording/:meetingId', async (c) => {
    const meetingId = c.req.param('meetingId');
    const grant = await authorise(c, { kind: 'meeting', id: meetingId });
    if (grant instanceof Response) return grant;
    const result = await hub.active(meetingId);
    if (!result.ok) return upstreamFailure(c, result);
    c.header('Cache-Control', 'private, no-store');
    return c.json({ success: true, data: present(result.recording, grant) });
  });

  reads.get('/recordings/:id', (c) => answerRead(c, { kind: 'recording', id: c.req.param('id') }, 'one'));

  reads.get('/recordings', (c) => {
    const meetingId = c.req.query('meeting_id');
    if (!meetingId) return failure(c, 400, 'meeting_id is required: this server lists the recordings of one meeting.');
    return answerRead(c, { kind: 'meeting', id: meetingId }, 'list');
  });

  app.get('/events', async (c) => {
    const target = queryTarget(c);
    if (target === null) return failure(c, 400, 'Give exactly one of recording_id and meeting_id.');
    const grant = await authorise(c, target);
    if (grant instanceof Response) return grant;
    // Changes (and an end) that come before the stream is built are kept for it, in order.
    const early: HubEvent[] = [];
    let deliver = (event: HubEvent) => {
      early.push(event);
    };
    let endedEarly = false;
    let finish = () => {
      endedEarly = true;
    };
    const following = await hub.follow(
      target,
      (event) => {
        deliver(event);
      },
      () => {
        finish();
      },
    );
    if (!following.ok) return upstreamFailure(c, following);
    const body = eventStream({
      clock,
      initial: following.initial,
      subscribe: (listener, end) => {
        deliver = listener;
        finish = end;
        for (const event of early.splice(0)) listener(event);
        if (endedEarly) end();
        return () => {
          following.stop();
        };
      },
      present: (recording) => present(recording, grant),
      endOnTerminal: target.kind === 'recording',
    });
    return new Response(body, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'private, no-store',
        'X-Accel-Buffering': 'no',
      },
    });
  });

  app.get('/token', async (c) => {
    if (!config.authorize) return failure(c, 404, 'This server does not issue viewer tokens; the host app does.');
    const target = queryTarget(c);
    if (target === null) return failure(c, 400, 'Give exactly one of recording_id and meeting_id.');
    const verdict = await config.authorize(c.req.raw, viewerTarget(target));
    if (verdict === false) return failure(c, 403, 'Not allowed to follow this recording.');
    const token = await createViewerToken(secret, viewerTarget(target), {
      ttl: tokenTtl,
      download: typeof verdict === 'object' ? verdict.download : verdict,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ token, expires_in: tokenTtl });
  });

  app.route('/', webhookRoute({ hub, verify: config.verify, clock, log, webhooks }));

  app.get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    const { reachable, perMinute, left } = await config.health();
    return c.json({
      success: true,
      upstream: reachable === null ? 'unknown' : reachable ? 'reachable' : 'unreachable',
      budget: { perMinute, left },
    });
  });

  app.notFound((c) => failure(c, 404, `No such route.${basePathHint(config.basePath, c.req.path)}`));
  app.onError((error, c) => {
    // The error's own text may come from host code (authorize); log its name only.
    log(`recording-status server: a request failed (${error.name}).`);
    return failure(c, 500, 'The server failed to answer.');
  });
  return app;
}

/**
 * For a 404 that ends like one of the routes under another prefix (a framework mount that strips its path, a
 * basePath left out): where the routes really are, and the setting that moves them.
 */
function basePathHint(basePath: string, path: string): string {
  const prefix = /^(.*)\/(?:recordings(?:\/.*)?|events|token|webhook|healthz)$/.exec(path)?.[1];
  if (prefix === undefined || prefix === basePath || prefix.length > 100) return '';
  const here = basePath === '' ? 'at the root' : `under ${basePath}`;
  return ` This server's routes are ${here} (its basePath option); this path would need basePath '${prefix}'.`;
}
