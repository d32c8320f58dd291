#!/usr/bin/env node
/// <reference types="node" />
/**
 * `recording-status-server`: the recording server from environment variables, for hosts whose own app mints
 * the viewer tokens (with `createViewerToken`). Exit 2 on a configuration problem.
 */
import { createRecordingServer } from './app.js';
import { optionsFromEnv, REQUIRED_VARIABLES } from './options.js';
import { listen } from './node.js';

const HELP = `recording-status-server: the backend for <recording-status>, in one process.

Serves RealtimeKit's recording reads to viewers with a viewer token, live Server-Sent Events, and the
recording.statusUpdate webhook (POST /webhook). Viewer tokens are minted by your own app with
createViewerToken(RECORDING_STATUS_TOKEN_SECRET, { recordingId } or { meetingId }) from 'recording-status/server';
this command serves no /token route.

Environment:
  REALTIMEKIT_ACCOUNT_ID          Cloudflare account id (required)
  REALTIMEKIT_APP_ID              RealtimeKit app id (required)
  REALTIMEKIT_API_TOKEN           API token with the Realtime permission (required)
  RECORDING_STATUS_TOKEN_SECRET   HS256 secret for viewer tokens, at least 32 bytes (required)
  PORT                            default 8787
  HOST                            default 127.0.0.1 (set 0.0.0.0 to listen on every interface)
  REALTIMEKIT_API_BASE            default https://api.cloudflare.com/client/v4
  RECORDING_STATUS_BASE_PATH      default '' (the routes' prefix)
  RECORDING_STATUS_CORS_ORIGIN    answer CORS for this origin (default: off)
  RECORDING_STATUS_BUDGET         upstream requests per minute for the app (default 900)
  RECORDING_STATUS_FRESH_FOR      ms an upstream answer is reused (default 2000)
  REALTIMEKIT_WEBHOOK_KEY         RealtimeKit's webhook public key, PEM (default: fetched)
  REALTIMEKIT_WEBHOOK_KEY_URL     where to fetch it (default RealtimeKit's /.well-known/webhooks.json)
`;

function fail(message: string): never {
  process.stderr.write(`recording-status-server: ${message}\nRun with --help for the variables it reads.\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  const missing = REQUIRED_VARIABLES.filter((name) => !env[name]);
  if (missing.length > 0) fail(`missing ${missing.join(', ')}.`);
  const port = env.PORT === undefined ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('PORT must be a port number.');
  let server;
  try {
    server = createRecordingServer(optionsFromEnv(env));
  } catch (error) {
    // Option errors name the option, never its value.
    fail(error instanceof Error ? error.message : 'invalid configuration.');
  }
  const listening = await listen(server, {
    port,
    hostname: env.HOST === undefined || env.HOST === '' ? '127.0.0.1' : env.HOST,
  });
  process.stdout.write(`recording-status-server listening on ${listening.url}\n`);
  const stop = () => {
    void listening.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  fail(error instanceof Error && 'code' in error ? `could not listen (${String(error.code)}).` : 'could not start.');
});
