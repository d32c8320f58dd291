/// <reference types="node" />
/**
 * `recording-status/server/node`: serves a recording server from one Node process, through
 * `@hono/node-server`. Listens on 127.0.0.1 unless told otherwise: exposing it is the host's decision.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { RecordingServer } from './app.js';

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

export function listen(server: RecordingServer, options: ListenOptions = {}): Promise<Listening> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const http = serve(
      { fetch: (request, env) => server.fetch(request, env), port: options.port ?? 8787, hostname },
      (info: AddressInfo) => {
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
      },
    );
    http.once('error', reject);
  });
}

export { createRecordingServer, createViewerToken } from './index.js';
export type { RecordingServer, RecordingServerOptions } from './index.js';
