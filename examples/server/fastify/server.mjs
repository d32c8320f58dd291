// Fastify 5 with the recording server under /api/recordings, on one origin with the page that shows the widget.
// node server.mjs with the variables of recording-status-server (--help) and PORT (default 3000).
import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';
import { createRecordingServer, serverOptionsFromEnv } from 'recording-status/server';
import { toNodeHandler } from 'recording-status/server/node';

const recordings = createRecordingServer({
  ...serverOptionsFromEnv(process.env),
  basePath: '/api/recordings',
  // Your own session check goes here; this one lets in whoever opened the page (it sets the cookie).
  authorize: (request) => {
    const session = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
    // The session names the user: all of one user's tokens share one budget share, whatever they name.
    return session === undefined ? false : { download: false, subject: session };
  },
});
const handler = toNodeHandler(recordings);

const app = Fastify();
await app.register(async (api) => {
  // Leave the body unread here: a webhook is verified over its exact bytes.
  api.removeAllContentTypeParsers();
  api.addContentTypeParser('*', (_request, _payload, done) => {
    done(null);
  });
  api.all('/api/recordings/*', async (request, reply) => {
    reply.hijack();
    await handler(request.raw, reply.raw);
  });
});

const widget = await readFile(
  new URL('dist/recording-status.min.js', import.meta.resolve('recording-status/package.json')),
);
const page = await readFile(new URL('index.html', import.meta.url), 'utf8');
app.get('/recording-status.min.js', (_request, reply) => reply.type('text/javascript').send(widget));
app.get('/', (_request, reply) =>
  reply
    .header('Set-Cookie', `session=${crypto.randomUUID()}; Path=/; HttpOnly; SameSite=Lax`)
    .type('text/html')
    .send(page),
);

const port = Number(process.env.PORT || 3000);
await app.listen({ port, host: '127.0.0.1' });
console.log(`fastify example on http://127.0.0.1:${port}/, webhook at http://127.0.0.1:${port}/api/recordings/webhook`);
