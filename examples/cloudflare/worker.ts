// The Worker a host deploys: the package's routes under /api, your own check for /token, the two Durable
// Objects, and your site on the same origin (wrangler.jsonc's assets; only /api/* runs this code first).
import {
  createRecordingWorker,
  RecordingHub,
  UpstreamBudget,
  type RecordingWorkerBindings,
} from 'recording-status/server/cloudflare';

export { RecordingHub, UpstreamBudget };

/** wrangler.jsonc's vars and bindings, and the secrets from .dev.vars (or wrangler secret put). */
interface Env extends RecordingWorkerBindings {
  readonly ASSETS: { fetch(request: Request): Promise<Response> };
}

const recordings = createRecordingWorker({
  // Who may watch what: your own session check. Here: signed-in viewers (a session cookie), without download
  // links. Answer true, false or { download, subject }.
  authorize: (request) => {
    const session = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
    // The session names the user: all of one user's tokens share one budget share, whatever they name.
    return session === undefined ? false : { download: false, subject: session };
  },
});

export default {
  fetch(request: Request, env: Env, ctx: unknown): Promise<Response> {
    const { pathname } = new URL(request.url);
    return pathname.startsWith('/api/') ? recordings.fetch(request, env, ctx) : env.ASSETS.fetch(request);
  },
};
