/**
 * The recording server as a Cloudflare Worker: the same routes and answers as `createRecordingServer`, with
 * viewer tokens checked and webhooks verified here at the edge (stateless), and every target's state in its
 * own `RecordingHub` Durable Object. Settings come from the Worker's variables and secrets.
 */
import type { Authorization, Health } from '../routes.js';
import { optionsFromEnv, resolveOptions, type ServerEnvironment } from '../options.js';
import { recordingRoutes, webhookCounters } from '../routes.js';
import type { ViewerTarget } from '../tokens.js';
import { WebhookVerifier } from '../webhook.js';
import { askBudget, type HubBindings } from './protocol.js';
import { RemoteHub } from './remote-hub.js';

export interface RecordingWorkerOptions {
  /** The host's own check for `/token`, as in `createRecordingServer`; without it `/token` answers 404. */
  readonly authorize?: (request: Request, target: ViewerTarget) => Authorization | Promise<Authorization>;
  /** Where the Worker reports what an operator should know; default console.warn. */
  readonly log?: (line: string) => void;
}

/** Bindings may be missing from a wrangler config: checked at the first request. */
export type RecordingWorkerEnv = Partial<HubBindings> & ServerEnvironment;

export interface RecordingWorker {
  fetch(request: Request, env: RecordingWorkerEnv, ctx?: unknown): Promise<Response>;
}

type Handler = (request: Request, env: RecordingWorkerEnv, ctx: unknown) => Response | Promise<Response>;

function configurationError(message: string): Handler {
  return () =>
    Response.json(
      { success: false, error: { code: 500, message: `The recording server is not configured: ${message}` } },
      { status: 500, headers: { 'Cache-Control': 'no-store' } },
    );
}

/** A Worker (`export default createRecordingWorker(…)`); its handler is built once per isolate and env. */
export function createRecordingWorker(options: RecordingWorkerOptions = {}): RecordingWorker {
  const built = new WeakMap<object, Handler>();
  const build = (env: RecordingWorkerEnv): Handler => {
    let settings;
    try {
      settings = resolveOptions(
        {
          ...optionsFromEnv(env),
          ...(options.authorize ? { authorize: options.authorize } : {}),
          ...(options.log ? { log: options.log } : {}),
        },
        'recording-status worker',
      );
    } catch (error) {
      // Option errors name the variable's meaning, never its value.
      const message = error instanceof Error ? error.message : 'invalid configuration.';
      (options.log ?? console.warn)(message);
      return configurationError(message);
    }
    if (!env.RECORDING_HUB || !env.UPSTREAM_BUDGET) {
      return configurationError('the RECORDING_HUB and UPSTREAM_BUDGET Durable Object bindings are required.');
    }
    const verifier = new WebhookVerifier({
      key: settings.webhookKey,
      keyUrl: settings.webhookKeyUrl,
      fetch: settings.fetch,
      clock: settings.clock,
    });
    const bindings = { RECORDING_HUB: env.RECORDING_HUB, UPSTREAM_BUDGET: env.UPSTREAM_BUDGET };
    const app = recordingRoutes({
      ...settings,
      hub: new RemoteHub(bindings),
      verify: (body, signature) => verifier.verify(body, signature),
      health: async () => {
        const answer = await askBudget(bindings, settings, '/health');
        return (await answer.json()) as Health;
      },
      webhooks: webhookCounters(),
    });
    return (request, workerEnv, ctx) => app.fetch(request, workerEnv, ctx as never);
  };
  return {
    async fetch(request, env, ctx) {
      let handler = built.get(env);
      if (handler === undefined) {
        handler = build(env);
        built.set(env, handler);
      }
      return handler(request, env, ctx);
    },
  };
}
