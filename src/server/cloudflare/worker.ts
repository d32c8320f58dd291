/**
 * The recording server as a Cloudflare Worker: the same routes and answers as `createRecordingServer`, with
 * viewer tokens checked and webhooks verified here at the edge (stateless), and every target's state in its
 * own `RecordingHub` Durable Object. Settings come from the Worker's variables and secrets.
 */
import type { Authorize, Health } from '../routes/index.js';
import { errorBody } from '../envelope.js';
import type { Settings } from '../options/options.js';
import { ConfigurationError } from '../options/resolve.js';
import { settingsFromEnv, type ServerEnvironment, type VariableBindings } from '../options/variables.js';
import { recordingRoutes, webhookCounters } from '../routes/index.js';
import { WebhookVerifier } from '../webhook/signature.js';
import { BudgetClient } from './budget-client.js';
import type { HubBindings } from './protocol.js';
import { RemoteHub } from './remote-hub.js';

export interface RecordingWorkerOptions {
  /**
   * Your check for `/token`, answered as `createRecordingServer`'s `authorize` is; `RECORDING_STATUS_TOKEN_TTL`
   * sets its tokens' life.
   * @default none: `/token` answers 404, and your app mints the tokens
   */
  readonly authorize?: Authorize;
  /**
   * Where the Worker says what an operator should know: a configuration problem (once per isolate; every request
   * is then answered 500 naming it), startup warnings, RealtimeKit refusing the credentials. The Durable Objects,
   * which the runtime makes, say theirs (RealtimeKit unreachable) with console.warn.
   * @default console.warn
   */
  readonly log?: (line: string) => void;
}

/** Bindings may be missing from a wrangler config: checked at the first request. */
export type RecordingWorkerEnv = Partial<HubBindings> & ServerEnvironment;

/**
 * What the Worker reads from its wrangler config (`vars`, the two Durable Object bindings) and its secrets
 * (`.dev.vars` for `wrangler dev`, `wrangler secret put` when deployed): a host's own `Env` extends this. The
 * variables are the server's table (`options/variables.ts`: the required ones strings, the rest optional; the
 * stream caps count per isolate). Every value is checked at the first request, and a missing one is answered by
 * its name.
 */
export interface RecordingWorkerBindings extends HubBindings, VariableBindings {}

export interface RecordingWorker {
  fetch(request: Request, env: RecordingWorkerEnv | RecordingWorkerBindings, ctx?: unknown): Promise<Response>;
}

/**
 * How long an isolate reuses the budget object's answer to `/healthz`. The route needs no token: without this,
 * every anonymous health check anyone sends would cost a request to the deployment's single budget object.
 */
export const HEALTH_CACHE_MS = 5_000;

type Handler = (request: Request, env: RecordingWorkerEnv, ctx: unknown) => Response | Promise<Response>;

function configurationError(message: string): Handler {
  return () =>
    Response.json(errorBody(500, `The recording server is not configured: ${message}`), {
      status: 500,
      headers: { 'Cache-Control': 'no-store' },
    });
}

/** A Worker (`export default createRecordingWorker(…)`); its handler is built once per isolate and env. */
export function createRecordingWorker(options: RecordingWorkerOptions = {}): RecordingWorker {
  const built = new WeakMap<object, Handler>();
  const build = (env: RecordingWorkerEnv): Handler => {
    let settings: Settings | undefined;
    const problems: string[] = [];
    const { RECORDING_HUB, UPSTREAM_BUDGET } = env;
    try {
      settings = settingsFromEnv(env, 'recording-status worker', {
        ...(options.authorize ? { authorize: options.authorize } : {}),
        ...(options.log ? { log: options.log } : {}),
      });
    } catch (error) {
      // Problems name the variable, never its value.
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(...error.problems);
    }
    const unbound = [!RECORDING_HUB && 'RECORDING_HUB', !UPSTREAM_BUDGET && 'UPSTREAM_BUDGET'].filter(Boolean);
    if (unbound.length > 0) {
      problems.push(`${unbound.join(' and ')}: Durable Object bindings missing from the wrangler config.`);
    }
    if (problems.length > 0 || settings === undefined || !RECORDING_HUB || !UPSTREAM_BUDGET) {
      const secrets = problems.some((p) => /REALTIMEKIT_API_TOKEN|RECORDING_STATUS_TOKEN_SECRET/.test(p));
      const message =
        problems.join(' ') +
        (secrets ? ' Secrets go in .dev.vars for wrangler dev, and through wrangler secret put when deployed.' : '');
      (options.log ?? console.warn)(`recording-status worker is not configured: ${message}`);
      return configurationError(message);
    }
    for (const warning of settings.warnings) settings.log(`recording-status worker: ${warning}`);
    if (settings.redis !== undefined) {
      settings.log(
        'recording-status worker: RECORDING_STATUS_REDIS_URL is for Node replicas; a Worker shares through its ' +
          'Durable Objects and does not use it.',
      );
    }
    const verifier = new WebhookVerifier({
      key: settings.webhookKey,
      keyUrl: settings.webhookKeyUrl,
      fetch: settings.fetch,
      clock: settings.clock,
    });
    const bindings = { RECORDING_HUB, UPSTREAM_BUDGET };
    const budget = new BudgetClient(bindings, settings);
    /**
     * The budget object's last answer to /health, reused by the checks within HEALTH_CACHE_MS of it. The answer,
     * not the promise of it: a request awaiting a promise another request's I/O settles is cancelled with it.
     */
    let health: { readonly at: number; readonly value: Health } | null = null;
    const app = recordingRoutes({
      ...settings,
      hub: new RemoteHub(bindings),
      verify: (body, signature) => verifier.verify(body, signature),
      health: async () => {
        const now = settings.clock.now();
        if (health !== null && now - health.at < HEALTH_CACHE_MS) return health.value;
        const value = await budget.health();
        health = { at: now, value };
        return value;
      },
      webhooks: webhookCounters(),
    });
    return (request, workerEnv, ctx) => app.fetch(request, workerEnv, ctx as never);
  };
  return {
    async fetch(request, bindings, ctx) {
      // A host's typed Env has no index signature; the variables are read by name all the same.
      const env = bindings as RecordingWorkerEnv;
      let handler = built.get(env);
      if (handler === undefined) {
        handler = build(env);
        built.set(env, handler);
      }
      return handler(request, env, ctx);
    },
  };
}
