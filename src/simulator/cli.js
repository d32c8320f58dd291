#!/usr/bin/env node
// @ts-check
/// <reference types="node" />
/**
 * `recording-status-simulator`: RealtimeKit played on 127.0.0.1, for trying the server with no account. It
 * answers the REST reads the server makes, serves a webhook key, signs a `recording.statusUpdate` webhook on
 * every transition and POSTs it to WEBHOOK_URL, and takes controls over HTTP (start, pause, resume, stop, fail,
 * faults). The same simulator the repository's demo and tests use.
 */
import { startSimulatorUpstream } from './upstream.js';

const HELP = `recording-status-simulator: RealtimeKit's recordings API on 127.0.0.1, with no account.

It answers the reads recording-status-server makes (under /client/v4), serves its webhook key at
/.well-known/webhooks.json, and on every status change signs a recording.statusUpdate webhook and POSTs it to
WEBHOOK_URL. Recordings move INVOKED -> RECORDING (<-> PAUSED) -> UPLOADING -> UPLOADED, or ERRORED, by
themselves after a start and by the controls below.

It also stands in for your app, at http://127.0.0.1:8788/: a page with a widget per meeting, reading from the
server, and buttons for the controls, with a /token that mints viewer tokens with the server's secret (so run
the server with the secret and the CORS origin it prints).

Environment:
  PORT                           default 8788 (0 picks a free port); it listens on 127.0.0.1 only
  WEBHOOK_URL                    where webhooks go; default http://127.0.0.1:8787/webhook (the server's default);
                                 "none" sends none
  SIM_API_TOKEN                  the API token it expects from the server; default sim-api-token
  SIM_SEED                       a whole number: the same meeting and recording ids at every start. Without it
                                 each start makes new ids, so a server's stored state from an earlier run (such
                                 as wrangler dev's .wrangler/state) never shows an old recording as this one's
  SERVER_URL                     where the page's widgets read; default http://127.0.0.1:8787
  RECORDING_STATUS_TOKEN_SECRET  the server's secret, for the page's /token (export it once, for both); without
                                 it the page's /token answers 503

Controls (POST, e.g. curl -X POST http://127.0.0.1:8788/control/...):
  /control/meetings/{meetingId}/recordings      start a recording (INVOKED, then RECORDING after 3 s)
  /control/recordings/{recordingId}/pause       RECORDING -> PAUSED
  /control/recordings/{recordingId}/resume      PAUSED -> RECORDING
  /control/recordings/{recordingId}/stop        -> UPLOADING, then UPLOADED after 8 s
  /control/recordings/{recordingId}/fail        -> ERRORED
  /control/fault/{outage|rate-limit|garbage|hang|none}
                                                make every read fail that way (503, 429, HTML, no answer)
                                                until /control/fault/none
  GET /control/state                            every meeting and recording, and the fault

Try it all, in one shell:
  export RECORDING_STATUS_TOKEN_SECRET=$(openssl rand -hex 32)
  npx recording-status-simulator &
  REALTIMEKIT_ACCOUNT_ID=acc REALTIMEKIT_APP_ID=app REALTIMEKIT_API_TOKEN=sim-api-token \\
  REALTIMEKIT_API_BASE=http://127.0.0.1:8788/client/v4 \\
  REALTIMEKIT_WEBHOOK_KEY_URL=http://127.0.0.1:8788/.well-known/webhooks.json \\
  RECORDING_STATUS_CORS_ORIGIN=http://127.0.0.1:8788 npx recording-status-server
then open http://127.0.0.1:8788/ and start, pause, stop a recording there.
`;

function fail(/** @type {string} */ message) {
  process.stderr.write(`recording-status-simulator: ${message}\nRun with --help for its variables and controls.\n`);
  process.exit(2);
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(HELP);
} else {
  const port = process.env.PORT === undefined || process.env.PORT === '' ? 8788 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('PORT must be a port number (0 to 65535).');
  const webhook = process.env.WEBHOOK_URL ?? 'http://127.0.0.1:8787/webhook';
  const serverUrl = (process.env.SERVER_URL || 'http://127.0.0.1:8787').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(serverUrl))
    fail('SERVER_URL must be an absolute http(s) URL, such as http://127.0.0.1:8787.');
  // Read, never printed: export it once in the shell that starts both.
  const tokenSecret = process.env.RECORDING_STATUS_TOKEN_SECRET || null;
  if (tokenSecret !== null && new TextEncoder().encode(tokenSecret).byteLength < 32) {
    fail('RECORDING_STATUS_TOKEN_SECRET must be at least 32 bytes: openssl rand -hex 32 (or leave it unset).');
  }
  const seedText = process.env.SIM_SEED ?? '';
  const idSeed = seedText === '' ? undefined : Number(seedText);
  if (idSeed !== undefined && (!/^\d{1,15}$/.test(seedText) || !Number.isSafeInteger(idSeed) || idSeed >= 2 ** 48)) {
    fail('SIM_SEED must be a whole number below 2^48 (or leave it unset for fresh ids at every start).');
  }
  if (webhook !== 'none' && !/^https?:\/\/[^/]/.test(webhook)) {
    fail('WEBHOOK_URL must be an absolute http(s) URL, such as http://127.0.0.1:8787/webhook, or "none".');
  }
  let upstream;
  try {
    upstream = await startSimulatorUpstream({
      port,
      webhookUrl: webhook === 'none' ? null : webhook,
      ...(process.env.SIM_API_TOKEN ? { apiToken: process.env.SIM_API_TOKEN } : {}),
      ...(idSeed === undefined ? {} : { idSeed }),
      page: { serverUrl, tokenSecret },
    });
  } catch (error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    fail(
      code === 'EADDRINUSE'
        ? `could not listen on 127.0.0.1:${port} (EADDRINUSE): something else is listening there; set PORT to another.`
        : `could not listen on 127.0.0.1:${port} (${String(code ?? 'error')}).`,
    );
    throw error;
  }
  const meetings = [...upstream.simulator.meetings.values()];
  const { url } = upstream;
  process.stdout.write(`RealtimeKit simulator on ${url}
Run the server against it:
  REALTIMEKIT_ACCOUNT_ID=acc REALTIMEKIT_APP_ID=app REALTIMEKIT_API_TOKEN=${upstream.simulator.apiToken} \\
  RECORDING_STATUS_TOKEN_SECRET=${tokenSecret === null ? '$(openssl rand -hex 32)' : '"$RECORDING_STATUS_TOKEN_SECRET"'} \\
  REALTIMEKIT_API_BASE=${url}/client/v4 \\
  REALTIMEKIT_WEBHOOK_KEY_URL=${url}/.well-known/webhooks.json \\
  RECORDING_STATUS_CORS_ORIGIN=${url} \\
  npx recording-status-server
${
  tokenSecret === null
    ? 'For the page at /, export RECORDING_STATUS_TOKEN_SECRET=$(openssl rand -hex 32) before starting both.'
    : `Then open ${url}/ : a widget per meeting, reading from ${serverUrl}, and buttons to drive the recordings.`
}
Webhooks go to ${upstream.state.webhookUrl ?? 'nowhere (WEBHOOK_URL=none)'}
Meetings: ${meetings.map((m) => `${m.id} (${m.title})`).join(', ')}
Start a recording: curl -X POST ${url}/control/meetings/${meetings[0]?.id ?? '{meetingId}'}/recordings
Then pause, resume, stop or fail it: curl -X POST ${url}/control/recordings/{recordingId}/stop (--help for all)
`);
  const stop = () => {
    void upstream.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
