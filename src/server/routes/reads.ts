/** The three RealtimeKit reads, proxied for viewers: each through the viewer-auth middleware, then its hub. */
import { Hono, type Context } from 'hono';
import type { ReadFailure } from '../hub.js';
import { failure } from '../envelope.js';
import { etagMatches, readBody, type EncodedBody } from '../encoded.js';
import { viewerAuth, type ViewerAuthConfig, type ViewerEnv } from './viewer-auth.js';

export interface ReadsConfig extends ViewerAuthConfig {
  /** How an upstream failure is answered (the routes log a refused API token once). */
  readonly upstreamFailure: (c: Context, result: ReadFailure) => Response;
}

export function readRoutes(config: ReadsConfig) {
  const { hub } = config;
  const app = new Hono<ViewerEnv>();

  /**
   * A 200 with its bytes as they were encoded for this snapshot version and right, or 304 when the client holds
   * them already (If-None-Match): a 304 keeps ETag and Cache-Control, as RFC 9110 asks, and drops the rest.
   */
  const send = (c: Context<ViewerEnv>, body: EncodedBody, age?: number) => {
    c.header('Cache-Control', 'private, no-store');
    c.header('ETag', body.etag);
    if (etagMatches(body.etag, c.req.header('If-None-Match'))) return c.body(null, 304);
    if (age !== undefined) c.header('Age', String(age));
    c.header('Content-Type', 'application/json');
    return c.body(body.bytes, 200);
  };

  const answer = async (c: Context<ViewerEnv>, shape: 'one' | 'list') => {
    const { grant, target, viewer } = c.var;
    const result = await hub.read(target, viewer);
    if (!result.ok) return config.upstreamFailure(c, result);
    if (shape === 'one' && result.recording === null) {
      c.header('Cache-Control', 'private, no-store');
      if (result.ageSeconds !== undefined) c.header('Age', String(result.ageSeconds));
      return failure(c, 404, 'RealtimeKit has no such recording.');
    }
    return send(c, await readBody(shape, result.recording, grant.download), result.ageSeconds);
  };

  app.get(
    '/recordings/active-recording/:meetingId',
    viewerAuth(config, (c) => ({ kind: 'meeting', id: c.req.param('meetingId') ?? '' })),
    async (c) => {
      const result = await hub.active(c.var.target.id, c.var.viewer);
      if (!result.ok) return config.upstreamFailure(c, result);
      // A fresh answer each time, not a snapshot: encoded, not kept.
      return send(c, await readBody('one', result.recording, c.var.grant.download, false));
    },
  );

  app.get(
    '/recordings/:id',
    viewerAuth(config, (c) => ({ kind: 'recording', id: c.req.param('id') ?? '' })),
    (c) => answer(c, 'one'),
  );

  app.get(
    '/recordings',
    viewerAuth(config, (c) => {
      const meetingId = c.req.query('meeting_id');
      if (!meetingId)
        return failure(c, 400, 'meeting_id is required: this server lists the recordings of one meeting.');
      return { kind: 'meeting', id: meetingId };
    }),
    (c) => answer(c, 'list'),
  );
  return app;
}
