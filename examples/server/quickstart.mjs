// The server's quick start, on one origin: node quickstart.mjs (Node 20.19+), then open http://127.0.0.1:8787/.
// It serves a page with the widget at /, and under /api the widget's proxy, viewer tokens (/api/token), live
// events and RealtimeKit's webhook (/api/webhook). Plain JavaScript; as quickstart.ts it compiles unchanged.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRecordingServer, serverOptionsFromEnv } from 'recording-status/server';
import { toNodeHandler } from 'recording-status/server/node';

let server;
try {
  server = createRecordingServer({
    // REALTIMEKIT_ACCOUNT_ID, REALTIMEKIT_APP_ID, REALTIMEKIT_API_TOKEN and RECORDING_STATUS_TOKEN_SECRET
    // (openssl rand -hex 32), and the optional ones recording-status-server --help lists.
    ...serverOptionsFromEnv(process.env),
    basePath: '/api',
    // Who may watch what: your own session check goes here. This one lets in whoever opened the page (it sets
    // the session cookie below), for any meeting or recording, without download links.
    authorize: (request) => {
      const session = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
      // The session names the user: all of one user's tokens share one budget share, whatever they name.
      return session === undefined ? false : { download: false, subject: session };
    },
  });
} catch (error) {
  // Every missing or invalid variable, by name, on one line: no stack trace.
  console.error(`quickstart: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

const api = toNodeHandler(server);
// The widget, self-contained, from the installed package.
const widget = await readFile(
  new URL('dist/recording-status.min.js', import.meta.resolve('recording-status/package.json')),
);
const page = `<!doctype html>
<html lang="en">
<meta charset="utf-8" />
<title>recording-status quick start</title>
<script type="module" src="/recording-status.min.js"></script>
<recording-status proxy-url="/api" token-endpoint="/api/token" poll-interval="2000"></recording-status>
<script type="module">
  // ?meeting=… or ?recording=… picks what to follow.
  const query = new URLSearchParams(location.search);
  const element = document.querySelector('recording-status');
  if (query.get('recording')) element.setAttribute('recording-id', query.get('recording'));
  else if (query.get('meeting')) element.setAttribute('meeting-id', query.get('meeting'));
</script>
</html>
`;

const port = Number(process.env.PORT || 8787);
const http = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path.startsWith('/api/')) {
    void api(req, res);
  } else if (path === '/recording-status.min.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(widget);
  } else if (path === '/') {
    // A stand-in for your own login: the session cookie authorize looks for.
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
