// The React app as Vite built it (dist/), the recording server under /api/proxy and the widget's token endpoint at
// /api/token, on one origin: npx tsc && npx vite build, then node server.mjs with the variables of
// recording-status-server (--help) and PORT (default 3000).
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { createRecordingServer, createTokenHandler, serverOptionsFromEnv } from 'recording-status/server';

const options = serverOptionsFromEnv(process.env);
const tokens = createTokenHandler({
  secret: options.tokenSecret,
  // Who may watch what: your own check goes here (this one lets in anyone signed in, for any meeting or
  // recording, without download links). The subject gives each user their own share of the upstream budget.
  authorize: (request) => {
    const user = /(?:^|;\s*)session=([\w-]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
    return user === undefined ? false : { subject: user };
  },
});

const app = new Hono();
app.route('/api/proxy', createRecordingServer(options));
app.get('/api/token', (c) => tokens(c.req.raw));
app.get('/', async (c, next) => {
  // The stand-in sign-in: every visitor is a new user. Your app sets its own session when a user signs in.
  setCookie(c, 'session', crypto.randomUUID(), { path: '/', httpOnly: true, sameSite: 'Lax' });
  await next();
});
app.use('/*', serveStatic({ root: './dist' }));

const port = Number(process.env.PORT || 3000);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  console.log(`react example on http://127.0.0.1:${port}/, webhook at http://127.0.0.1:${port}/api/proxy/webhook`);
});
