// The server's quick start, on one origin: node quickstart.mjs (Node 20.19+), then open http://127.0.0.1:8787/.
// It serves index.html (beside this file) and the widget at /, and under /api the widget's proxy, viewer tokens
// (/api/token), live events and RealtimeKit's webhook (/api/webhook). Plain JavaScript; as quickstart.ts it
// compiles unchanged.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRecordingServer, createTokenHandler, serverOptionsFromEnv } from 'recording-status/server';
import { bundlePath, toNodeHandler } from 'recording-status/server/node';

let server;
let tokens;
try {
  // REALTIMEKIT_ACCOUNT_ID, REALTIMEKIT_APP_ID, REALTIMEKIT_API_TOKEN and RECORDING_STATUS_TOKEN_SECRET
  // (openssl rand -hex 32), and the optional ones recording-status-server --help lists.
  const options = serverOptionsFromEnv(process.env);
  server = createRecordingServer({ ...options, basePath: '/api' });
  tokens = createTokenHandler({
    secret: options.tokenSecret,
    // Who may watch what: your own check goes here. This one lets in anyone signed in, for any meeting or
    // recording, without download links; the subject gives each user their own share of the upstream budget.
    authorize: (request) => {
      // The session cookie the page below sets: a stand-in for your own sign-in.
      const user = /(?:^|;\s*)session=([\w-]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
      return user === undefined ? false : { subject: user };
    },
  });
} catch (error) {
  // Every missing or invalid variable, by name, on one line: no stack trace.
  console.error(`quickstart: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

const api = toNodeHandler(server);
const tokenEndpoint = toNodeHandler(tokens);
const widget = await readFile(bundlePath);
const page = await readFile(new URL('index.html', import.meta.url));

const port = Number(process.env.PORT || 8787);
const http = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/api/token') {
    void tokenEndpoint(req, res);
  } else if (path.startsWith('/api/')) {
    void api(req, res);
  } else if (path === '/recording-status.min.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(widget);
  } else if (path === '/') {
    // The stand-in sign-in: every visitor is a new user. Your app sets its own session when a user signs in.
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Set-Cookie': `session=${crypto.randomUUID()}; Path=/; HttpOnly; SameSite=Lax`,
    });
    res.end(page);
  } else {
    res.writeHead(404).end();
  }
});
http.on('error', (error) => {
  console.error(`quickstart: could not listen on 127.0.0.1:${port} (${error.message})`);
  process.exit(2);
});
http.listen(port, '127.0.0.1', () => {
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  console.log(`quick start on ${url}/: the widget, its proxy under ${url}/api, and the webhook at ${url}/api/webhook`);
});
