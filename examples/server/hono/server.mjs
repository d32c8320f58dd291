// Hono 4 on Node: the recording server routed under /api/recordings, the widget's token endpoint at /api/token,
// and the page that shows the widget, on one origin. node server.mjs with the variables of recording-status-server
// (--help) and PORT (default 3000).
import { readFile } from 'node:fs/promises';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { createRecordingServer, createTokenHandler, serverOptionsFromEnv } from 'recording-status/server';
import { bundlePath } from 'recording-status/server/node';

const options = serverOptionsFromEnv(process.env);
// No basePath: app.route() below puts the routes under /api/recordings.
const recordings = createRecordingServer(options);

/** The signed-in user: a stand-in for your own sign-in, the session cookie the page below sets. */
const signedIn = (/** @type {Request} */ request) =>
  /(?:^|;\s*)session=([\w-]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];

const tokens = createTokenHandler({
  secret: options.tokenSecret,
  // Who may watch what: your own check goes here (this one lets in anyone signed in, for any meeting or
  // recording, without download links). The subject gives each user their own share of the upstream budget.
  authorize: (request) => {
    const user = signedIn(request);
    return user === undefined ? false : { subject: user };
  },
});

const widget = await readFile(bundlePath);
const page = await readFile(new URL('index.html', import.meta.url), 'utf8');

const app = new Hono();
app.route('/api/recordings', recordings);
app.get('/api/token', (c) => tokens(c.req.raw));
app.get('/recording-status.min.js', (c) => c.body(widget, 200, { 'Content-Type': 'text/javascript' }));
app.get('/', (c) => {
  // The stand-in sign-in: every visitor is a new user. Your app sets its own session when a user signs in.
  setCookie(c, 'session', crypto.randomUUID(), { path: '/', httpOnly: true, sameSite: 'Lax' });
  return c.html(page);
});

const port = Number(process.env.PORT || 3000);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  console.log(`hono example on http://127.0.0.1:${port}/, webhook at http://127.0.0.1:${port}/api/recordings/webhook`);
});
