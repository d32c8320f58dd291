#!/usr/bin/env node
/// <reference types="node" />
/**
 * `recording-status-server`: the recording server from environment variables, for hosts whose own app mints
 * the viewer tokens (with `createViewerToken`). Exit 2 on a configuration problem, every one said at once in
 * the variables' own names.
 */
import { serverFromSettings } from './app.js';
import { CLI_VARIABLES, DEFAULT_HOST, DEFAULT_PORT } from './cli-variables.js';
import { ConfigurationError } from './options/resolve.js';
import { settingsFromEnv, variablesHelp } from './options/variables.js';
import { listen, ListenError } from './node.js';
import { RedisPackageError } from './redis/package.js';

const HELP = `recording-status-server: the backend for <recording-status>, in one process.

Serves RealtimeKit's recording reads to viewers with a viewer token, live Server-Sent Events, and the
recording.statusUpdate webhook (POST /webhook). Viewer tokens are minted by your own app with
createViewerToken(RECORDING_STATUS_TOKEN_SECRET, { recordingId } or { meetingId }) from 'recording-status/server';
this command serves no /token route.

Environment:
${variablesHelp(CLI_VARIABLES)}

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
  const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_PORT : Number(env.PORT);
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
  const hostname = env.HOST === undefined || env.HOST === '' ? DEFAULT_HOST : env.HOST;
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
