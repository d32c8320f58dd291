#!/usr/bin/env node
/// <reference types="node" />
/**
 * `recording-status-server`: the recording server from environment variables, for hosts whose own app mints
 * the viewer tokens (with `createViewerToken`). Exit 2 on a configuration problem, every one said at once in
 * the variables' own names.
 */
import { serverFromSettings } from './app.js';
import { ConfigurationError, settingsFromEnv } from './options.js';
import { listen, ListenError } from './node.js';
import { RedisPackageError } from './redis/package.js';

const HELP = `recording-status-server: the backend for <recording-status>, in one process.

Serves RealtimeKit's recording reads to viewers with a viewer token, live Server-Sent Events, and the
recording.statusUpdate webhook (POST /webhook). Viewer tokens are minted by your own app with
createViewerToken(RECORDING_STATUS_TOKEN_SECRET, { recordingId } or { meetingId }) from 'recording-status/server';
this command serves no /token route.

Environment:
  REALTIMEKIT_ACCOUNT_ID          Cloudflare account id (required)
  REALTIMEKIT_APP_ID              RealtimeKit app id (required)
  REALTIMEKIT_API_TOKEN           API token with the Realtime permission (required)
  RECORDING_STATUS_TOKEN_SECRET   HS256 secret for viewer tokens, at least 32 bytes: openssl rand -hex 32 (required)
  PORT                            default 8787
  HOST                            default 127.0.0.1 (set 0.0.0.0 to listen on every interface)
  REALTIMEKIT_API_BASE            default https://api.cloudflare.com/client/v4
  RECORDING_STATUS_BASE_PATH      default '' (the routes' prefix, such as /api/recordings)
  RECORDING_STATUS_CORS_ORIGIN    answer CORS for this origin (default: off)
  RECORDING_STATUS_BUDGET         upstream requests per minute for the app, a whole number (default 900)
  RECORDING_STATUS_FRESH_FOR      ms an upstream answer is reused (default 2000)
  RECORDING_STATUS_TOKEN_TTL      seconds a viewer token lives (default 300)
  RECORDING_STATUS_VIEWER_BUDGET  upstream requests per minute one viewer may cause (default a tenth of the budget)
  RECORDING_STATUS_STREAMS_PER_TOKEN, _PER_TARGET, _TOTAL
                                  caps on open /events streams (default 32, 5000, 10000)
  REALTIMEKIT_WEBHOOK_KEY         RealtimeKit's webhook public key, PEM (default: fetched)
  REALTIMEKIT_WEBHOOK_KEY_URL     where to fetch it (default RealtimeKit's /.well-known/webhooks.json)
  RECORDING_STATUS_REDIS_URL      redis://host:port: replicas share pushes, state and the budget through
                                  this Redis (needs npm install redis; default: one process, no Redis)
  RECORDING_STATUS_REDIS_PREFIX   prefix of every Redis key (default one per app: recording-status:{account}:{app}:)

With no account: npx recording-status-simulator --help
`;

function fail(lines: readonly string[]): never {
  process.stderr.write(
    `${lines.map((line) => `recording-status-server: ${line}`).join('\n')}\nRun with --help for the variables it reads.\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  const problems: string[] = [];
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT must be a port number (0 to 65535).');
  let settings;
  try {
    settings = settingsFromEnv(env, 'recording-status-server');
  } catch (error) {
    // Problems name the variable, never its value.
    if (error instanceof ConfigurationError) problems.push(...error.problems);
    else throw error;
  }
  if (problems.length > 0 || settings === undefined) fail(problems);
  const hostname = env.HOST === undefined || env.HOST === '' ? '127.0.0.1' : env.HOST;
  const server = serverFromSettings(settings);
  try {
    await server.ready;
  } catch (error) {
    // The redis package missing: its message names the package and the command that installs it.
    fail([error instanceof RedisPackageError ? error.message : 'could not connect to Redis.']);
  }
  let listening;
  try {
    listening = await listen(server, { port, hostname });
  } catch (error) {
    fail([error instanceof ListenError ? error.message : `could not listen on ${hostname}:${port}.`]);
  }
  process.stdout.write(`recording-status-server listening on ${listening.url}\n`);
  const stop = () => {
    void Promise.all([listening.close(), server.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(() => {
  fail(['could not start.']);
});
