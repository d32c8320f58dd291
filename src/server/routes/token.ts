/** `GET /token`: the token handler (../token-handler.ts) as the server's route, when the host gives `authorize`. */
import { Hono } from 'hono';
import { failure } from '../envelope.js';
import { createTokenHandler, type Authorize } from '../token-handler.js';

export interface TokenConfig {
  readonly secret: string;
  readonly tokenTtl: number;
  readonly authorize: Authorize | undefined;
  readonly log: (line: string) => void;
}

export function tokenRoute(config: TokenConfig) {
  const app = new Hono();
  const { authorize } = config;
  if (authorize === undefined) {
    app.get('/token', (c) => failure(c, 404, 'This server does not issue viewer tokens; the host app does.'));
    return app;
  }
  const handle = createTokenHandler({ secret: config.secret, authorize, ttl: config.tokenTtl, log: config.log });
  app.get('/token', (c) => handle(c.req.raw));
  return app;
}
