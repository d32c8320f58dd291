/**
 * `createTokenHandler`: the widget's token endpoint as one web-standard handler, `Request` → `Response`, so that no
 * host writes the glue. It reads the target from the query (`recording_id` or `meeting_id`), asks the host's
 * `authorize`, and answers what the widget's `token-endpoint` expects: `{ token, expires_in }`. It stands alone (a
 * Next.js route handler, a Worker, Express through `toNodeHandler`, a Hono route) or beside the full server, whose
 * own `/token` route is this handler.
 */
import { targetOfQuery } from '../api/rest.js';
import { errorBody } from './envelope.js';
import { DEFAULT_TOKEN_TTL } from './options/options.js';
import { ConfigurationError } from './options/resolve.js';
import { MIN_SECRET_BYTES, mintViewerToken, viewerTargetOf, type ViewerTarget } from './tokens.js';

/**
 * What `authorize` may answer: allow (with download links), refuse, or an object: `download` (default false) says
 * whether answers keep their links, `subject` names the signed-in user, so that all of that user's tokens share one
 * bounded share of the upstream budget.
 */
export type Authorization = boolean | { readonly download?: boolean; readonly subject?: string };

/** The host's own check for `/token`: whether the request may follow `target`, and with what rights. */
export type Authorize = (request: Request, target: ViewerTarget) => Authorization | Promise<Authorization>;

/** A grant: what an allowing verdict says. */
type Grant = Exclude<Authorization, boolean>;

/**
 * What a verdict allows, or null for a refusal: `true` and a grant object allow; anything else (`false`, and also
 * the `undefined` of a forgotten `return`, `null`, `0`, `''`) refuses, so a mistake in `authorize` fails closed.
 */
export function grantOf(verdict: unknown): Grant | null {
  if (verdict === true) return { download: true };
  if (typeof verdict !== 'object' || verdict === null || Array.isArray(verdict)) return null;
  return verdict;
}

export interface TokenHandlerOptions {
  /**
   * The secret the recording server verifies viewer tokens with (its `tokenSecret`,
   * `RECORDING_STATUS_TOKEN_SECRET`): at least 32 bytes, else `createTokenHandler` throws a `ConfigurationError`.
   */
  readonly secret: string;
  /**
   * Your own check, `authorize(request, target)`: whether this request (its session cookie, its header) may follow
   * the target, answered as `createRecordingServer`'s `authorize` is: `true`, a grant `{ subject, download }`, or
   * anything else to refuse (403); a throw is a 500 that mints nothing.
   */
  readonly authorize: Authorize;
  /**
   * Seconds a token lives, a positive number. The answer's `expires_in` says so, and the widget asks for a new
   * token 30 s before (a fifth of its life before, for a shorter one).
   * @default 300
   */
  readonly ttl?: number;
  /**
   * Where the handler says what went wrong, never a token: a failing `authorize` by its error's name only, a
   * subject `createViewerToken` refused, and, once, that tokens without a subject share one budget share.
   * @default console.warn
   */
  readonly log?: (line: string) => void;
}

/** The token endpoint: a web-standard handler (`export const GET = tokens` in Next.js, `tokens(c.req.raw)` in Hono). */
export type TokenHandler = (request: Request) => Promise<Response>;

/** The envelope the widget reads, as its own Response. */
function refusal(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json(errorBody(status, message), {
    status,
    headers: { 'Cache-Control': 'private, no-store', ...headers },
  });
}

export function createTokenHandler(options: TokenHandlerOptions): TokenHandler {
  const { secret, authorize } = options;
  const ttl = options.ttl ?? DEFAULT_TOKEN_TTL;
  const problems: string[] = [];
  if (typeof secret !== 'string' || new TextEncoder().encode(secret).byteLength < MIN_SECRET_BYTES) {
    problems.push(`secret must be a string of at least ${MIN_SECRET_BYTES} bytes (openssl rand -hex 32).`);
  }
  if (typeof authorize !== 'function') problems.push('authorize must be a function.');
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0) problems.push('ttl must be a positive number.');
  if (problems.length > 0) throw new ConfigurationError('createTokenHandler', problems);
  const log =
    options.log ??
    ((line: string) => {
      console.warn(line);
    });

  let anonymousSaid = false;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refusal(405, 'A viewer token is asked for with GET.', { Allow: 'GET, HEAD' });
    }
    const named = targetOfQuery(new URL(request.url).searchParams);
    if ('problem' in named) return refusal(400, named.problem);
    const target = viewerTargetOf(named);
    let verdict: unknown;
    try {
      verdict = await authorize(request, target);
    } catch (error) {
      // The error's own text is the host's (it may hold a session or a user's name): its name only.
      log(`recording-status token handler: authorize failed (${error instanceof Error ? error.name : typeof error}).`);
      return refusal(500, 'The token endpoint failed to answer.');
    }
    const grant = grantOf(verdict);
    if (grant === null) return refusal(403, 'Not allowed to follow this recording.');
    const { subject } = grant;
    if (subject === undefined && !anonymousSaid) {
      anonymousSaid = true;
      log(
        'recording-status server: authorize allowed a token without a subject; all such tokens share one viewerBudget share. Return { subject } (the signed-in user) to give each user a share of their own.',
      );
    }
    let token: string;
    try {
      const minted = { ttl, download: grant.download === true };
      // A token without a subject is marked anonymous: all of them pay from one share, which no user multiplies.
      token = await mintViewerToken(
        secret,
        target,
        subject === undefined ? minted : { ...minted, subject },
        subject === undefined,
      );
    } catch (error) {
      // createViewerToken's own words (a subject too long), never a value.
      log(`recording-status token handler: ${error instanceof Error ? error.message : 'minting failed'}`);
      return refusal(500, 'The token endpoint failed to answer.');
    }
    return Response.json({ token, expires_in: ttl }, { headers: { 'Cache-Control': 'no-store' } });
  };
}
