/**
 * `createRecordingServer`: the backend every host of `<recording-status>` needs, as one web-standard `fetch`
 * handler built on Hono. It proxies RealtimeKit's three recording reads for viewers holding a viewer token,
 * turns the signed `recording.statusUpdate` webhook into live Server-Sent Events, and keeps the app's shared
 * upstream budget whatever the number of viewers.
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { oneRecordingAnswer, type RawRecording } from '../api/schema.js';
import { systemClock, type Clock, type FetchLike } from '../platform.js';
import { TokenBucket } from './budget.js';
import { MemoryHub, type HubTarget } from './hub.js';
import { eventStream } from './sse.js';
import { checkSecret, createViewerToken, readViewerToken, type ViewerGrant, type ViewerTarget } from './tokens.js';
import { Upstream, type UpstreamFailureKind } from './upstream.js';
import { DEFAULT_WEBHOOK_KEY_URL, MAX_WEBHOOK_BYTES, WebhookVerifier, parseWebhook } from './webhook.js';

/** What `authorize` may answer: allow, refuse, or allow without download links. */
export type Authorization = boolean | { readonly download: false };

export interface RecordingServerOptions {
  readonly accountId: string;
  readonly appId: string;
  readonly apiToken: string;
  /** Default `https://api.cloudflare.com/client/v4`. */
  readonly apiBase?: string;
  /** HS256 secret for viewer tokens, at least 32 bytes. */
  readonly tokenSecret: string;
  /** The host's own check for `/token`; without it `/token` answers 404 and the host mints tokens itself. */
  readonly authorize?: (request: Request, target: ViewerTarget) => Authorization | Promise<Authorization>;
  /** Seconds a viewer token from `/token` lives; default 300. */
  readonly tokenTtl?: number;
  /** RealtimeKit's webhook public key (PEM, SPKI); when set, nothing is fetched. */
  readonly webhookKey?: string;
  /** Where to fetch that key; default RealtimeKit's `/.well-known/webhooks.json` (`data.publicKey`). */
  readonly webhookKeyUrl?: string;
  /** Upstream requests per minute for the whole app; default 900 (RealtimeKit allows 1000). */
  readonly budget?: number;
  /** Milliseconds an upstream answer is reused for other viewers; default 2000. */
  readonly freshFor?: number;
  /** Where the routes live; default `''`. */
  readonly basePath?: string;
  /** Off by default; `{ origin }` answers CORS for those origins. */
  readonly cors?: { readonly origin: string | readonly string[] };
  /** The fetch used to reach RealtimeKit (tests, a simulator); default the global fetch. */
  readonly fetch?: FetchLike;
  /** Time, for tests; default the system clock. */
  readonly clock?: Clock;
  /** Where the server reports what a host should know (refused credentials, an unobtainable key); default console.warn. */
  readonly log?: (line: string) => void;
}

export interface RecordingServerStats {
  readonly upstream: {
    readonly requests: number;
    readonly coalesced: number;
    readonly reused: number;
    readonly overBudget: number;
    readonly failures: number;
    readonly reachable: boolean | null;
  };
  readonly budget: { readonly perMinute: number; readonly left: number };
  readonly webhooks: Readonly<
    Record<'accepted' | 'duplicates' | 'ignored' | 'badSignature' | 'malformed' | 'tooLarge' | 'noKey', number>
  >;
  readonly keyFetches: number;
  readonly targets: number;
  readonly viewers: number;
}

export interface RecordingServer {
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  stats(): RecordingServerStats;
}

const DEFAULT_API_BASE = 'https://api.cloudflare.com/client/v4';

function required(options: RecordingServerOptions, name: 'accountId' | 'appId' | 'apiToken'): string {
  const value: unknown = options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`createRecordingServer: ${name} is required.`);
  return value;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`createRecordingServer: ${name} must be a positive number.`);
  return value;
}

/** RealtimeKit's error envelope, which the widget reads. */
function failure(c: Context, status: number, message: string, headers: Record<string, string> = {}): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header('Cache-Control', 'private, no-store');
  return c.json({ success: false, error: { code: status, message } }, status as ContentfulStatusCode);
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

export function createRecordingServer(options: RecordingServerOptions): RecordingServer {
  const accountId = required(options, 'accountId');
  const appId = required(options, 'appId');
  const apiToken = required(options, 'apiToken');
  checkSecret(options.tokenSecret);
  const secret = options.tokenSecret;
  const tokenTtl = positive(options.tokenTtl, 300, 'tokenTtl');
  const perMinute = Math.floor(positive(options.budget, 900, 'budget'));
  const freshFor = positive(options.freshFor, 2000, 'freshFor');
  const clock = options.clock ?? systemClock;
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const log =
    options.log ??
    ((line: string) => {
      console.warn(line);
    });
  const apiBase = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');

  const budget = new TokenBucket(perMinute, clock);
  const upstream = new Upstream({
    base: `${apiBase}/accounts/${encodeURIComponent(accountId)}/realtime/kit/${encodeURIComponent(appId)}`,
    apiToken,
    fetch,
    clock,
    budget,
    freshFor,
  });
  const hub = new MemoryHub({ upstream, clock, freshFor });
  const verifier = new WebhookVerifier({
    key: options.webhookKey,
    keyUrl: options.webhookKeyUrl ?? DEFAULT_WEBHOOK_KEY_URL,
    fetch,
    clock,
  });
  const webhooks = { accepted: 0, duplicates: 0, ignored: 0, badSignature: 0, malformed: 0, tooLarge: 0, noKey: 0 };
  /** Said once per outage of the webhook key, not once per refused delivery. */
  let keyMissingSaid = false;
  let warnedCredentials = false;

  /** Strips what a viewer may not see: download links without the download right (storage_config never survives the schema). */
  const present = (recording: RawRecording | null, grant: ViewerGrant): RawRecording | null =>
    recording === null || grant.download ? recording : { ...recording, download_url: null, audio_download_url: null };

  const allows = (grant: ViewerGrant, target: HubTarget): boolean => {
    const t = grant.target;
    if (target.kind === 'meeting') return 'meetingId' in t && t.meetingId === target.id;
    if ('recordingId' in t) return t.recordingId === target.id;
    return hub.inMeeting(target.id, t.meetingId);
  };

  const upstreamFailure = (
    c: Context,
    result: { kind: UpstreamFailureKind; status: number; message: string; retryAfterSeconds?: number },
  ) => {
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

  const app = new Hono().basePath(options.basePath ?? '');
  app.use(secureHeaders());
  if (options.cors) {
    app.use(
      cors({
        origin: typeof options.cors.origin === 'string' ? options.cors.origin : [...options.cors.origin],
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
    if (!allows(grant, target)) return failure(c, 403, 'This viewer token does not cover that recording.');
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
    const result = await upstream.get(`/recordings/active-recording/${encodeURIComponent(meetingId)}`);
    if (!result.ok) {
      if (result.kind === 'not-found') return failure(c, 404, 'No active recording found for this meeting');
      return upstreamFailure(c, result);
    }
    const parsed = oneRecordingAnswer.safeParse(result.body);
    if (!parsed.success) return failure(c, 502, 'RealtimeKit answered with an unexpected shape.');
    hub.place(parsed.data.data.id, meetingId);
    c.header('Cache-Control', 'private, no-store');
    return c.json({ success: true, data: present(parsed.data.data, grant) });
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
    const first = await hub.read(target);
    if (!first.ok) return upstreamFailure(c, first);
    const body = eventStream({
      clock,
      // Taken after the read, in the same turn as the subscription: no change can fall between the two.
      initial: hub.current(target),
      subscribe: (listener) => hub.subscribe(target, listener),
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
    if (!options.authorize) return failure(c, 404, 'This server does not issue viewer tokens; the host app does.');
    const target = queryTarget(c);
    if (target === null) return failure(c, 400, 'Give exactly one of recording_id and meeting_id.');
    const verdict = await options.authorize(c.req.raw, viewerTarget(target));
    if (verdict === false) return failure(c, 403, 'Not allowed to follow this recording.');
    const token = await createViewerToken(secret, viewerTarget(target), {
      ttl: tokenTtl,
      download: verdict === true,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ token, expires_in: tokenTtl });
  });

  app.post('/webhook', async (c) => {
    const declared = Number(c.req.header('Content-Length') ?? 0);
    if (declared > MAX_WEBHOOK_BYTES) {
      webhooks.tooLarge++;
      return failure(c, 413, 'The webhook body is too large.');
    }
    const bytes = await readAtMost(c.req.raw, MAX_WEBHOOK_BYTES);
    if (bytes === null) {
      webhooks.tooLarge++;
      return failure(c, 413, 'The webhook body is too large.');
    }
    // Verify before anything is parsed: the signature covers these exact bytes.
    const verdict = await verifier.verify(bytes, c.req.header('rtk-signature') ?? null);
    if (verdict === 'no-key') {
      webhooks.noKey++;
      if (!keyMissingSaid) {
        keyMissingSaid = true;
        log('recording-status server: the webhook public key could not be fetched; deliveries are refused with 503.');
      }
      return failure(c, 503, 'The webhook key is not available yet.', { 'Retry-After': '10' });
    }
    keyMissingSaid = false;
    if (verdict === 'invalid') {
      webhooks.badSignature++;
      return failure(c, 401, 'The webhook signature is missing or does not verify.');
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      webhooks.malformed++;
      return failure(c, 400, 'The webhook body is not UTF-8.');
    }
    const parsed = parseWebhook(text);
    if (parsed.kind === 'malformed') {
      webhooks.malformed++;
      return failure(c, 400, `The webhook payload is malformed: ${parsed.reason}.`);
    }
    if (parsed.kind === 'ignored') {
      webhooks.ignored++;
      return c.json({ success: true, ignored: true });
    }
    const uuid = c.req.header('rtk-uuid');
    if (uuid !== undefined && !hub.firstDelivery(uuid)) {
      webhooks.duplicates++;
      return c.json({ success: true, duplicate: true });
    }
    webhooks.accepted++;
    hub.applyWebhook(parsed.update);
    return c.json({ success: true });
  });

  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    const reachable = upstream.reachable;
    return c.json({
      success: true,
      upstream: reachable === null ? 'unknown' : reachable ? 'reachable' : 'unreachable',
      budget: { perMinute, left: budget.left },
    });
  });

  app.notFound((c) => failure(c, 404, 'No such route.'));
  app.onError((error, c) => {
    // The error's own text may come from host code (authorize); log its name only.
    log(`recording-status server: a request failed (${error.name}).`);
    return failure(c, 500, 'The server failed to answer.');
  });

  return {
    fetch: (request, env, ctx) => Promise.resolve(app.fetch(request, env as never, ctx as never)),
    stats: () => ({
      upstream: { ...upstream.stats, reachable: upstream.reachable },
      budget: { perMinute, left: budget.left },
      webhooks: { ...webhooks },
      keyFetches: verifier.keyFetches,
      targets: hub.targets,
      viewers: hub.viewers,
    }),
  };
}

/** The request body, or null when it is longer than `limit` bytes (read no further than that). */
async function readAtMost(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
