// Express 5 with the recording server mounted under /api/recordings, on one origin with the page that shows the
// widget. node server.mjs with the variables of recording-status-server (--help) and PORT (default 3000).
import { readFile } from 'node:fs/promises';
import express from 'express';
import { createRecordingServer, serverOptionsFromEnv } from 'recording-status/server';
import { toNodeHandler } from 'recording-status/server/node';

const recordings = createRecordingServer({
  ...serverOptionsFromEnv(process.env),
  // The mount path below: the handler sees the full path (req.originalUrl), whatever Express strips.
  basePath: '/api/recordings',
  // Your own session check goes here; this one lets in whoever opened the page (it sets the cookie).
  authorize: (request) => {
    const session = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
    // The session names the user: all of one user's tokens share one budget share, whatever they name.
    return session === undefined ? false : { download: false, subject: session };
  },
});

const app = express();
// Before any body parser: a webhook is verified over its exact bytes.
app.use('/api/recordings', toNodeHandler(recordings));
app.use(express.json());

const widget = await readFile(
  new URL('dist/recording-status.min.js', import.meta.resolve('recording-status/package.json')),
);
const page = await readFile(new URL('index.html', import.meta.url), 'utf8');
app.get('/recording-status.min.js', (_req, res) => {
  res.type('text/javascript').send(widget);
});
app.get('/', (_req, res) => {
  res.cookie('session', crypto.randomUUID(), { httpOnly: true, sameSite: 'lax' }).type('html').send(page);
});

const port = Number(process.env.PORT || 3000);
app.listen(port, '127.0.0.1', (error) => {
  if (error) throw error;
  console.log(
    `express example on http://127.0.0.1:${port}/, webhook at http://127.0.0.1:${port}/api/recordings/webhook`,
  );
});
