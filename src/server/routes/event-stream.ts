/** `GET /events`: a viewer's live feed of its target, as Server-Sent Events over a hub's `follow`. */
import { Hono, type Context } from 'hono';
import { targetKey } from '../../api/rest.js';
import type { Clock } from '../../platform.js';
import type { ReadFailure } from '../hub.js';
import { Feed } from '../feed/feed.js';
import { feedSlotOf } from '../feed/node-slot.js';
import {
  DEFAULT_STREAM_LIMITS,
  StreamCaps,
  STREAMS_RETRY_AFTER_SECONDS,
  type StreamLimits,
} from '../feed/stream-caps.js';
import { isTerminalRecording } from '../target-hub.js';
import { failure } from '../envelope.js';
import { eventFrame } from '../encoded.js';
import { queryTarget, viewerAuth, type ViewerAuthConfig, type ViewerEnv } from './viewer-auth.js';

export interface EventsConfig extends ViewerAuthConfig {
  readonly streams?: Required<StreamLimits>;
  readonly clock: Clock;
  readonly upstreamFailure: (c: Context, result: ReadFailure) => Response;
}

const TOO_MANY = {
  token: 'This viewer token has too many streams open; close one or try again later.',
  subject: 'This viewer has too many streams open; close one or try again later.',
  target: 'Too many streams are open on this recording; try again later.',
  total: 'This server has too many streams open; try again later.',
} as const;

const tokenOf = (authorization: string | undefined): string => authorization?.split('.').at(-1) ?? '';

/** A Last-Event-ID this server could have sent (a seq), else undefined: anything else is a first visit. */
function lastEventId(header: string | undefined): number | undefined {
  return header !== undefined && /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : undefined;
}

const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform: compression middleware (Express's compression()) and proxies leave the stream alone instead of
  // holding its frames back in a compressor's buffer.
  'Cache-Control': 'private, no-store, no-transform',
  'X-Accel-Buffering': 'no',
};

export function eventRoutes(config: EventsConfig) {
  const { hub, clock } = config;
  const caps = new StreamCaps(config.streams ?? DEFAULT_STREAM_LIMITS);
  const app = new Hono<ViewerEnv>();
  app.get('/events', viewerAuth(config, queryTarget), async (c) => {
    const { grant, target, viewer } = c.var;
    // Hono answers HEAD with the GET handler and drops the body without cancelling it: a feed opened here would
    // never be closed. HEAD gets the status a GET would (a read), and no feed.
    if (c.req.method === 'HEAD') {
      const read = await hub.read(target, viewer);
      return read.ok ? new Response(null, { headers: STREAM_HEADERS }) : config.upstreamFailure(c, read);
    }
    const seen = lastEventId(c.req.header('Last-Event-ID'));
    if (seen !== undefined && target.kind === 'recording') {
      // A reconnect that has seen the recording's final event: 204 is how a standard EventSource is told to stop.
      const read = await hub.read(target, viewer);
      if (read.ok && isTerminalRecording(read.recording) && seen >= read.seq) {
        c.header('Cache-Control', 'private, no-store');
        return c.body(null, 204);
      }
    }
    // The token's signature stands for the token: a per-token count without keeping the whole token.
    const place = caps.take(tokenOf(c.req.header('Authorization')), targetKey(target), grant.subject);
    if (typeof place === 'string') {
      return failure(c, 429, TOO_MANY[place], { 'Retry-After': String(STREAMS_RETRY_AFTER_SECONDS) });
    }
    // The feed exists before the hub is followed: what comes before it starts waits in it, in order.
    const feed = new Feed({
      clock,
      frame: (event) => eventFrame(event, grant.download),
      endOnTerminal: target.kind === 'recording',
      endAt: grant.expiresAt * 1000,
      onClose: place,
      ...(seen === undefined ? {} : { seen }),
    });
    const following = await hub.follow(target, feed.push, feed.end, viewer);
    if (!following.ok) {
      feed.cancel();
      return config.upstreamFailure(c, following);
    }
    feed.subscribed(following.initial, () => {
      following.stop();
    });
    const slot = feedSlotOf(c.env);
    if (slot !== undefined) {
      // Node glue: the feed goes straight into Node's response once the headers are final (feed/node-slot.ts).
      slot.feed = feed;
      return new Response(null, { headers: STREAM_HEADERS });
    }
    return new Response(feed.stream(), { headers: STREAM_HEADERS });
  });
  return app;
}
