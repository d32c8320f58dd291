// Fastify 5 with the recording server under /api/recordings, the widget's token endpoint at /api/token, and the
// page that shows the widget, on one origin. node server.mjs with the variables of recording-status-server
// (--help) and PORT (default 3000).
import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';
import { createRecordingServer, createTokenHandler, serverOptionsFromEnv } from 'recording-status/server';
import { bundlePath, toNodeHandler } from 'recording-status/server/node';

const options = serverOptionsFromEnv(process.env);
const recordings = toNodeHandler(createRecordingServer({ ...options, basePath: '/api/recordings' }));

const tokens = toNodeHandler(
  createTokenHandler({
    secret: options.tokenSecret,
    // Who may watch what: your own check goes here (this one lets in anyone signed in, for any meeting or
    // recording, without download links). The subject gives each user their own share of the upstream budget.
    authorize: (request) => {
      const user = /(?:^|;\s*)session=([\w-]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
      return user === undefined ? false : { subject: user };
    },
  }),
);

const app = Fastify();
await app.register(async (api) => {
  // Leave the body unread here: a webhook is verified over its exact bytes.
  api.removeAllContentTypeParsers();
  api.addContentTypeParser('*', (_request, _payload, done) => {
    done(null);
  });
  api.all('/api/recordings/*', async (request, reply) => {
    reply.hijack();
    await recordings(request.raw, reply.raw);
  });
});
app.get('/api/token', async (request, reply) => {
  reply.hijack();
  await tokens(request.raw, reply.raw);
});

const widget = await readFile(bundlePath);
const page = await readFile(new URL('index.html', import.meta.url), 'utf8');
app.get('/recording-status.min.js', (_request, reply) => reply.type('text/javascript').send(widget));
app.get('/', (_request, reply) =>
  // The stand-in sign-in: every visitor is a new user. Your app sets its own session when a user signs in.
  reply
    .header('Set-Cookie', `session=${crypto.randomUUID()}; Path=/; HttpOnly; SameSite=Lax`)
    .type('text/html')
    .send(page),
);

const port = Number(process.env.PORT || 3000);
await app.listen({ port, host: '127.0.0.1' });
console.log(`fastify example on http://127.0.0.1:${port}/, webhook at http://127.0.0.1:${port}/api/recordings/webhook`);
