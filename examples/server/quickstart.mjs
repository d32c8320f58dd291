// The server's quick start: node quickstart.mjs (Node 20+). It serves the widget's proxy, viewer tokens,
// live events and RealtimeKit's webhook from one process on 127.0.0.1:8787.
import { createRecordingServer } from 'recording-status/server';
import { listen } from 'recording-status/server/node';

const server = createRecordingServer({
  accountId: process.env.REALTIMEKIT_ACCOUNT_ID,
  appId: process.env.REALTIMEKIT_APP_ID,
  apiToken: process.env.REALTIMEKIT_API_TOKEN,
  // At least 32 bytes, e.g. `openssl rand -hex 32`; keep it out of the repository.
  tokenSecret: process.env.RECORDING_STATUS_TOKEN_SECRET,
  // Who may watch what: your own session check. Here: signed-in viewers, the meetings listed in WATCHABLE_MEETINGS,
  // and no download links. Answer true, false, or { download: false }.
  authorize: async (request, target) => {
    const signedIn = request.headers.get('Cookie')?.includes('session=') ?? false;
    const watchable = (process.env.WATCHABLE_MEETINGS ?? '').split(',');
    return signedIn && 'meetingId' in target && watchable.includes(target.meetingId) ? { download: false } : false;
  },
  // Only to run against the simulator (`npm run simulator`); RealtimeKit's own defaults otherwise.
  ...(process.env.REALTIMEKIT_API_BASE
    ? { apiBase: process.env.REALTIMEKIT_API_BASE, webhookKeyUrl: process.env.REALTIMEKIT_WEBHOOK_KEY_URL }
    : {}),
});

const { url } = await listen(server, { port: Number(process.env.PORT ?? 8787) });
console.log(`recording server on ${url}: proxy-url="${url}", token-endpoint="${url}/token", webhook ${url}/webhook`);
