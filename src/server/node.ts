/// <reference types="node" />
/**
 * `recording-status/server/node`: a recording server in Node, either listening on its own port (`listen`) or
 * inside a Node app that already has one (`toNodeHandler`: node:http, Express, Fastify, Koa), both through
 * `@hono/node-server`; an event stream is written straight to Node's response (feed/node-slot.ts), with its buffer as
 * the backpressure, and ends when its client goes. Listens on 127.0.0.1 unless told otherwise: exposing it is the
 * host's decision.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { getRequestListener, serve, type HttpBindings, type Http2Bindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { RecordingServer } from './app.js';
import type { TokenHandler } from './token-handler.js';
import { errorBody } from './envelope.js';
import type { EventSink } from './feed/feed.js';
import { FEED_SLOT, type FeedSlot } from './feed/node-slot.js';

export interface ListenOptions {
  /** Default 8787; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly hostname?: string;
}

export interface Listening {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and ends open event streams. */
  close(): Promise<void>;
}

/** An error from `listen`, naming the host and port it could not have, with Node's `code` (`EADDRINUSE`, …). */
export class ListenError extends Error {
  readonly code: string | undefined;
  constructor(hostname: string, port: number, cause: unknown) {
    const code =
      typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
        ? cause.code
        : undefined;
    const why =
      code === 'EADDRINUSE'
        ? 'something else is listening there; stop it or choose another port'
        : code === 'EACCES'
          ? 'this process may not use that port; choose one above 1023'
          : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
            ? 'this machine has no such address'
            : 'the system refused';
    super(`could not listen on ${hostname}:${port} (${code ?? 'error'}): ${why}.`, { cause });
    this.name = 'ListenError';
    this.code = code;
  }
}

/**
 * The adapter's "already answered" Response. Were the global Response already its lightweight one when this
 * module loaded (a host that started `@hono/node-server` and imported this later), the sentinel would be one too,
 * and the adapter would write its head a second time over a live stream: reading its body once turns it into the
 * runtime's own Response, which the adapter leaves alone.
 */
const ANSWERED: Response = RESPONSE_ALREADY_SENT;
if (ANSWERED.body !== null) throw new Error("@hono/node-server's RESPONSE_ALREADY_SENT has a body.");

/** A viewer's feed written straight to Node's response: its buffer is the backpressure. */
function responseSink(res: ServerResponse): EventSink {
  // Someone else (the host, a framework's timeout) may end or destroy the response while the feed is open.
  const open = () => !res.writableEnded && !res.destroyed;
  return {
    write: (bytes) => {
      if (open()) res.write(bytes);
    },
    get queued() {
      return res.writableLength;
    },
    close: () => {
      if (open()) res.end();
    },
    fail: () => {
      res.destroy();
    },
  };
}

/** The headers as Node writes them: each Set-Cookie its own line, every other name once. */
function nodeHeaders(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

/**
 * The server's fetch as the Node adapter calls it, with a slot for event streams (feed/node-slot.ts): a feed the
 * events route leaves there is started straight into Node's response, under the headers every middleware set.
 */
function nodeFetch(
  server: Pick<RecordingServer, 'fetch'>,
): (request: Request, env: HttpBindings | Http2Bindings) => Promise<Response> {
  return async (request, env) => {
    // HTTP/2 answers keep the web stream: only HTTP/1's ServerResponse is written to directly. Only a GET of the
    // events route leaves a feed: every other request goes on with the adapter's env as it is.
    if (!(env.outgoing instanceof ServerResponse) || request.method !== 'GET' || !request.url.includes('/events')) {
      return server.fetch(request, env);
    }
    const slot: FeedSlot = {};
    let response: Response;
    try {
      response = await server.fetch(request, { ...env, [FEED_SLOT]: slot });
    } catch (error) {
      slot.feed?.cancel();
      throw error;
    }
    const feed = slot.feed;
    if (feed === undefined) return response;
    const res: ServerResponse = env.outgoing;
    // The answer changed on the way (an error after the route), or the client already went: no feed. (The
    // adapter's lightweight Response would build a real one to tell its body: the status and type tell enough.)
    const streams = response.status === 200 && response.headers.get('content-type')?.startsWith('text/event-stream');
    if (streams !== true || res.destroyed || res.headersSent) {
      feed.cancel();
      return res.destroyed ? ANSWERED : response;
    }
    // Listening first: whatever happens from here on (a throw in writeHead, an error on the socket) lets go of it.
    let cancel = () => {
      feed.cancel();
    };
    const stop = () => {
      cancel();
    };
    res.on('close', stop);
    res.on('error', stop);
    res.writeHead(200, nodeHeaders(response.headers));
    cancel = feed.start(responseSink(res));
    return ANSWERED;
  };
}

/**
 * Serves the recording server on its own port, once it is ready (with Redis: node-redis loaded, a first
 * connection tried; a missing `redis` package rejects here, naming it).
 */
export async function listen(server: RecordingServer, options: ListenOptions = {}): Promise<Listening> {
  const hostname = options.hostname ?? '127.0.0.1';
  const port = options.port ?? 8787;
  await server.ready;
  return new Promise((resolve, reject) => {
    const http = serve({ fetch: nodeFetch(server), port, hostname }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            http.close(() => {
              done();
            });
            // Event streams never end by themselves: close their connections too.
            if ('closeAllConnections' in http) http.closeAllConnections();
          }),
      });
    });
    http.once('error', (error) => {
      reject(new ListenError(hostname, port, error));
    });
  });
}

export interface NodeHandlerOptions {
  /** Where the handler says what a host should know (a body parser ahead of it); default console.warn. */
  readonly log?: (line: string) => void;
}

/** What Express, Connect and body parsers add to Node's request. */
interface FrameworkRequest extends IncomingMessage {
  /** Express and Connect: the URL before the mount path was stripped. */
  originalUrl?: unknown;
  /** body-parser, express.json(), …: the body they read. */
  body?: unknown;
  /** Cloud Functions and some frameworks: the exact bytes, which verify as well as the stream. */
  rawBody?: unknown;
}

/** Called only when the handler answers nothing (never: every request gets an answer), for Connect's signature. */
type Next = (error?: unknown) => void;

/**
 * The recording server as a Node request handler, for an app that already has a server:
 *
 * - `http.createServer(toNodeHandler(server))`, or a branch of your own handler;
 * - Express: `app.use('/api/recordings', toNodeHandler(server))` with `basePath: '/api/recordings'`, before any
 *   body parser (`express.json()`): the mount path Express strips is put back (`req.originalUrl`);
 * - Fastify: `reply.hijack()` then `handler(request.raw, reply.raw)`; Koa: `ctx.respond = false` then
 *   `handler(ctx.req, ctx.res)`;
 * - a token handler alone (`createTokenHandler`): `app.get('/api/token', toNodeHandler(tokens))`.
 *
 * A webhook needs its exact bytes to verify: when a parser has already read the body, the delivery is answered
 * 500 with the cause and the fix (and the host is told once), instead of a signature that can never verify.
 */
export function toNodeHandler(
  server: RecordingServer | TokenHandler,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse, next?: Next) => Promise<void> {
  const log =
    options.log ??
    ((line: string) => {
      console.warn(line);
    });
  let consumedSaid = false;
  // overrideGlobalObjects: false, as a guest in someone else's process must not replace its Request and Response.
  const handler = typeof server === 'function' ? { fetch: server } : server;
  const listener = getRequestListener(nodeFetch(handler), {
    overrideGlobalObjects: false,
  });
  return async (incoming, res) => {
    const req = incoming as FrameworkRequest;
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      if (Buffer.isBuffer(req.body) && req.rawBody === undefined) {
        // express.raw() kept the exact bytes: they verify as well as the stream would have.
        req.rawBody = req.body;
      } else if (!Buffer.isBuffer(req.rawBody) && req.readableEnded) {
        if (!consumedSaid) {
          consumedSaid = true;
          log(
            'recording-status server: a body parser read the request body before the recording server could ' +
              '(a webhook must be verified over its exact bytes). Mount the recording server before express.json() ' +
              'or any body parser, or give it the raw bytes (express.raw()).',
          );
        }
        res
          .writeHead(500, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
          .end(
            JSON.stringify(
              errorBody(
                500,
                'The request body was already read by a body parser: mount the recording server before express.json() (or any body parser).',
              ),
            ),
          );
        return;
      }
    }
    // Express and Connect strip the mount path from req.url; the routes live under basePath, the full path.
    const url = req.url;
    if (typeof req.originalUrl === 'string' && req.originalUrl.startsWith('/')) req.url = req.originalUrl;
    // The listener reads req.url synchronously, before its first await: put it back at once for the host.
    const done = listener(req, res);
    req.url = url;
    await done;
  };
}

/**
 * Where the widget's self-contained bundle (`dist/recording-status.min.js`, what a page loads with a script tag) is
 * on disk, for a Node server that serves it from the installed package: `readFile(bundlePath)`. (Resolving
 * `recording-status/recording-status.min.js` in Node gives the module for server rendering instead.)
 */
export const bundlePath: string = fileURLToPath(new URL('../recording-status.min.js', import.meta.url));

export { createRecordingServer, createTokenHandler, createViewerToken } from './index.js';
export type { RecordingServer, RecordingServerOptions } from './index.js';
