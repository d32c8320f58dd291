/** `GET /token`: a viewer token for one target, when the host's `authorize` allows it. */
import { Hono } from 'hono';
import { mintViewerToken, viewerTargetOf, type ViewerTarget } from '../tokens.js';
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
  readonly log: (line: string) => void;
  readonly tokenTtl: number;
  readonly authorize: Authorize | undefined;
}

/**
 * What a verdict allows, or null for a refusal: `true` and a grant object allow; anything else (`false`, and also
 * the `undefined` of a forgotten `return`, `null`, `0`, `''`) refuses, so a mistake in `authorize` fails closed.
 */
function grantOf(verdict: unknown): Exclude<Authorization, boolean> | null {
  if (verdict === true) return { download: true };
  if (typeof verdict !== 'object' || verdict === null || Array.isArray(verdict)) return null;
  return verdict;
}

export function tokenRoute(config: TokenConfig) {
  const app = new Hono();
  let anonymousSaid = false;
  app.get('/token', async (c) => {
    if (!config.authorize) return failure(c, 404, 'This server does not issue viewer tokens; the host app does.');
    const target = queryTarget(c);
    if (target instanceof Response) return target;
    // A throw or a rejection reaches onError: 500, and nothing minted.
    const verdict: unknown = await config.authorize(c.req.raw, viewerTargetOf(target));
    const grant = grantOf(verdict);
    if (grant === null) return failure(c, 403, 'Not allowed to follow this recording.');
    const { subject } = grant;
    if (subject === undefined && !anonymousSaid) {
      anonymousSaid = true;
      config.log(
        'recording-status server: authorize allowed a token without a subject; all such tokens share one viewerBudget share. Return { subject } (the signed-in user) to give each user a share of their own.',
      );
    }
    const options = { ttl: config.tokenTtl, download: grant.download === true };
    const token = await mintViewerToken(
      config.secret,
      viewerTargetOf(target),
      subject === undefined ? options : { ...options, subject },
      subject === undefined,
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ token, expires_in: config.tokenTtl });
  });
  return app;
}
