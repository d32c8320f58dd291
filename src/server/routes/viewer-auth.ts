/**
 * The viewer-auth middleware: a route names its target; this checks the bearer token covers it, and sets the
 * grant and the target on the context (`c.var.grant`, `c.var.target`) for the handler. No hub is asked for a
 * request without a valid token.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { malformedTarget, targetKey, targetOfQuery, type Target } from '../../api/rest.js';
import type { Hub } from '../hub.js';
import { readViewerToken, type ViewerGrant } from '../tokens.js';
import { failure } from '../envelope.js';

export interface ViewerVariables {
  readonly grant: ViewerGrant;
  readonly target: Target;
  /** Whose read it is, for the budget's per-viewer shares: the token's `sub` when it has one, else its target. */
  readonly viewer: string;
}

export interface ViewerEnv {
  Variables: ViewerVariables;
}

/** Where a route finds its target; a Response is the 400 to answer instead. */
export type TargetOf = (c: Context) => Target | Response;

/** Whether the grant covers the target: its own, or (for a meeting token) a recording seen in that meeting. */
async function covers(hub: Hub, grant: ViewerGrant, target: Target): Promise<boolean> {
  const own = grant.target;
  if (own.kind === target.kind) return own.id === target.id;
  return target.kind === 'recording' && hub.inMeeting(target.id, own.id);
}

/**
 * The target, if its id is well formed: before anything is spent, and before an id like `..` could walk out of
 * the upstream path it is put into.
 */
export function checkedTarget(c: Context, target: Target): Target | Response {
  const problem = malformedTarget(target);
  return problem === null ? target : failure(c, 400, problem);
}

export interface ViewerAuthConfig {
  readonly hub: Hub;
  readonly secret: string;
  /** Told of every token that failed its signature (secret-mismatch.ts says so in the log, rarely). */
  readonly badSignature: () => void;
}

export function viewerAuth(options: ViewerAuthConfig, targetOf: TargetOf) {
  const handler: MiddlewareHandler<ViewerEnv> = async (c, next) => {
    const named = targetOf(c);
    const target = named instanceof Response ? named : checkedTarget(c, named);
    if (target instanceof Response) return target;
    const header = c.req.header('Authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const grant = token === undefined ? null : await readViewerToken(options.secret, token, options.badSignature);
    if (grant === null) {
      return failure(c, 401, 'A valid viewer token is required.', { 'WWW-Authenticate': 'Bearer' });
    }
    if (!(await covers(options.hub, grant, target))) {
      return failure(c, 403, 'This viewer token does not cover that recording.');
    }
    c.set('grant', grant);
    c.set('target', target);
    c.set('viewer', subjectOf(grant));
    await next();
    return undefined;
  };
  return handler;
}

/**
 * Whose read it is: the token's `sub` (a host can name the signed-in user, so that all of that user's tokens share
 * one share of the budget); for `/token`'s tokens that name none, one share for them all (anyone can mint them, for
 * any target `authorize` allows); else the target a host's own token names.
 */
function subjectOf(grant: ViewerGrant): string {
  if (grant.subject !== null) return `sub:${grant.subject}`;
  return grant.anonymous ? 'anonymous' : targetKey(grant.target);
}

/** Exactly one of `recording_id` and `meeting_id`, well formed. */
export function queryTarget(c: Context): Target | Response {
  const named = targetOfQuery(new URL(c.req.url).searchParams);
  return 'problem' in named ? failure(c, 400, named.problem) : named;
}
