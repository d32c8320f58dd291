// The Worker a host deploys: the package's routes under /api, the widget's token endpoint at /api/token with your
// own check, the two Durable Objects, and your site on the same origin (wrangler.jsonc's assets; only /api/* runs
// this code first).
import {
  createRecordingWorker,
  createTokenHandler,
  RecordingHub,
  UpstreamBudget,
  type RecordingWorkerBindings,
  type TokenHandler,
} from 'recording-status/server/cloudflare';

export { RecordingHub, UpstreamBudget };

/** wrangler.jsonc's vars and bindings, and the secrets from .dev.vars (or wrangler secret put). */
interface Env extends RecordingWorkerBindings {
  readonly ASSETS: { fetch(request: Request): Promise<Response> };
}

const recordings = createRecordingWorker();
let tokens: TokenHandler | undefined;

export default {
  fetch(request: Request, env: Env, ctx: unknown): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/api/token') {
      // Made at the first request: the secret is a binding, which only a request brings.
      tokens ??= createTokenHandler({
        secret: env.RECORDING_STATUS_TOKEN_SECRET ?? '',
        // Who may watch what: your own check goes here (this one lets in anyone signed in, for any meeting or
        // recording, without download links). The subject gives each user their own share of the upstream budget.
        authorize: (tokenRequest) => {
          const user = /(?:^|;\s*)session=([\w-]+)/.exec(tokenRequest.headers.get('Cookie') ?? '')?.[1];
          return user === undefined ? false : { subject: user };
        },
      });
      return tokens(request);
    }
    return pathname.startsWith('/api/') ? recordings.fetch(request, env, ctx) : env.ASSETS.fetch(request);
  },
};
