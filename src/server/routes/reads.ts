/** The three RealtimeKit reads, proxied for viewers: each through the viewer-auth middleware, then its hub. */
import { Hono, type Context } from 'hono';
import { etag } from 'hono/etag';
import type { Hub, ReadFailure } from '../hub.js';
import { failure } from '../envelope.js';
import { present, viewerAuth, type ViewerEnv } from './viewer-auth.js';

export interface ReadsConfig {
  readonly hub: Hub;
  readonly secret: string;
  /** How an upstream failure is answered (the routes log a refused API token once). */
  readonly upstreamFailure: (c: Context, result: ReadFailure) => Response;
}

export function readRoutes(config: ReadsConfig) {
  const { hub } = config;
  const app = new Hono<ViewerEnv>();
  app.use('/recordings', etag()).use('/recordings/*', etag());

  const answer = async (c: Context<ViewerEnv>, shape: 'one' | 'list') => {
    const { grant, target, viewer } = c.var;
    const result = await hub.read(target, viewer);
    if (!result.ok) return config.upstreamFailure(c, result);
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

  app.get(
    '/recordings/active-recording/:meetingId',
    viewerAuth(config, (c) => ({ kind: 'meeting', id: c.req.param('meetingId') ?? '' })),
    async (c) => {
      const result = await hub.active(c.var.target.id, c.var.viewer);
      if (!result.ok) return config.upstreamFailure(c, result);
      c.header('Cache-Control', 'private, no-store');
      return c.json({ success: true, data: present(result.recording, c.var.grant) });
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
