// Express 5 with the recording server mounted under /api/recordings, the widget's token endpoint at /api/token,
// and the page that shows the widget, on one origin. node server.mjs with the variables of
// recording-status-server (--help) and PORT (default 3000).
import { readFile } from 'node:fs/promises';
import express from 'express';
import { createRecordingServer, createTokenHandler, serverOptionsFromEnv } from 'recording-status/server';
import { bundlePath, toNodeHandler } from 'recording-status/server/node';

const options = serverOptionsFromEnv(process.env);
const recordings = createRecordingServer({
  ...options,
  // The mount path below: the handler sees the full path (req.originalUrl), whatever Express strips.
  basePath: '/api/recordings',
});

const tokens = createTokenHandler({
  secret: options.tokenSecret,
  // Who may watch what: your own check goes here (this one lets in anyone signed in, for any meeting or
  // recording, without download links). The subject gives each user their own share of the upstream budget.
  authorize: (request) => {
    const user = /(?:^|;\s*)session=([\w-]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
    return user === undefined ? false : { subject: user };
  },
});

const app = express();
// Before any body parser: a webhook is verified over its exact bytes.
app.use('/api/recordings', toNodeHandler(recordings));
app.get('/api/token', toNodeHandler(tokens));
app.use(express.json());

const widget = await readFile(bundlePath);
const page = await readFile(new URL('index.html', import.meta.url), 'utf8');
app.get('/recording-status.min.js', (_req, res) => {
  res.type('text/javascript').send(widget);
});
app.get('/', (_req, res) => {
  // The stand-in sign-in: every visitor is a new user. Your app sets its own session when a user signs in.
  res.cookie('session', crypto.randomUUID(), { httpOnly: true, sameSite: 'lax' }).type('html').send(page);
});

const port = Number(process.env.PORT || 3000);
app.listen(port, '127.0.0.1', (error) => {
  if (error) throw error;
  console.log(
    `express example on http://127.0.0.1:${port}/, webhook at http://127.0.0.1:${port}/api/recordings/webhook`,
  );
});
