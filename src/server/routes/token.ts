/** `GET /token`: a viewer token for one target, when the host's `authorize` allows it. */
import { Hono } from 'hono';
import { createViewerToken, viewerTargetOf, type ViewerTarget } from '../tokens.js';
import { failure } from '../envelope.js';
import { queryTarget } from './viewer-auth.js';

/**
 * What `authorize` may answer: allow (with download links), refuse, or an object: `download` (default false) says
 * whether answers keep their links, `subject` names the signed-in user, so that all of that user's tokens share one
 * bounded share of the upstream budget.
 */
export type Authorization = boolean | { readonly download?: boolean; readonly subject?: string };

/** The host's own check for `/token`: whether the request may follow `target`, and with what rights. */
export type Authorize = (request: Request, target: ViewerTarget) => Authorization | Promise<Authorization>;

export interface TokenConfig {
  readonly secret: string;
  readonly tokenTtl: number;
  readonly authorize: Authorize | undefined;
}

export function tokenRoute(config: TokenConfig) {
  const app = new Hono();
  app.get('/token', async (c) => {
    if (!config.authorize) return failure(c, 404, 'This server does not issue viewer tokens; the host app does.');
    const target = queryTarget(c);
    if (target instanceof Response) return target;
    const verdict = await config.authorize(c.req.raw, viewerTargetOf(target));
    if (verdict === false) return failure(c, 403, 'Not allowed to follow this recording.');
    const token = await createViewerToken(config.secret, viewerTargetOf(target), {
      ttl: config.tokenTtl,
      download: typeof verdict === 'object' ? verdict.download === true : verdict,
      ...(typeof verdict === 'object' && verdict.subject !== undefined ? { subject: verdict.subject } : {}),
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ token, expires_in: config.tokenTtl });
  });
  return app;
}
