// @ts-check
/**
 * The options from environment variables (the CLI, a Worker's bindings, `serverOptionsFromEnv`): every problem at
 * once in the variables' own names, with the fix where there is one, and never a value.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../../../dist/server/options/resolve.js';
import {
  optionsFromEnv,
  serverOptionsFromEnv,
  settingsFromEnv,
  VARIABLES,
  variablesHelp,
} from '../../../dist/server/options/variables.js';

const SECRET = 'a-token-secret-of-at-least-thirty-two-bytes';
const env = {
  REALTIMEKIT_ACCOUNT_ID: 'acc',
  REALTIMEKIT_APP_ID: 'app',
  REALTIMEKIT_API_TOKEN: 'api-token-never-said-0001',
  RECORDING_STATUS_TOKEN_SECRET: SECRET,
};

/** The problems a call reports, or [] when it passes. */
function problems(/** @type {() => unknown} */ call) {
  try {
    call();
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigurationError, String(error));
    return [...error.problems];
  }
}

describe('server/options/variables', () => {
  describe('from the environment: problems name the variable', () => {
    it('names every missing variable at once, with the way to make a secret', () => {
      assert.deepEqual(
        problems(() => settingsFromEnv({}, 'recording-status-server')),
        [
          'REALTIMEKIT_ACCOUNT_ID is not set.',
          'REALTIMEKIT_APP_ID is not set.',
          'REALTIMEKIT_API_TOKEN is not set.',
          'RECORDING_STATUS_TOKEN_SECRET is not set: make one with openssl rand -hex 32.',
        ],
      );
    });

    it('hole 8: takes numbers as a Worker binds them (JSON vars), and refuses any other kind of value by name', () => {
      const settings = settingsFromEnv(
        {
          ...env,
          RECORDING_STATUS_BUDGET: 300,
          RECORDING_STATUS_VIEWER_BUDGET: 30,
          RECORDING_STATUS_STREAMS_PER_TOKEN: 8,
          RECORDING_STATUS_STREAMS_PER_TARGET: 80,
          RECORDING_STATUS_STREAMS_TOTAL: 800,
          RECORDING_STATUS_TOKEN_TTL: 120,
          RECORDING_STATUS_FRESH_FOR: 500,
        },
        'RecordingHub',
      );
      assert.equal(settings.perMinute, 300);
      assert.equal(settings.perViewer, 30);
      assert.deepEqual([settings.streams.perToken, settings.streams.perTarget, settings.streams.total], [8, 80, 800]);
      assert.equal(settings.tokenTtl, 120);
      assert.equal(settings.freshFor, 500);
      assert.deepEqual(
        problems(() =>
          settingsFromEnv(
            {
              ...env,
              REALTIMEKIT_APP_ID: true,
              RECORDING_STATUS_BUDGET: 0.5,
              RECORDING_STATUS_TOKEN_TTL: false,
              RECORDING_STATUS_BASE_PATH: { path: '/api' },
              REALTIMEKIT_API_BASE: ['https://api.cloudflare.com/client/v4'],
            },
            'RecordingHub',
          ),
        ),
        [
          'REALTIMEKIT_APP_ID must be text.',
          'REALTIMEKIT_API_BASE must be an absolute http(s) URL, such as https://api.cloudflare.com/client/v4.',
          'RECORDING_STATUS_BUDGET must be a whole number of requests per minute, at least 1 (default 900).',
          'RECORDING_STATUS_BASE_PATH must start with / and not end with one, such as /api/recordings.',
          'RECORDING_STATUS_TOKEN_TTL must be a positive number.',
        ],
      );
    });

    it('names invalid variables, numbers that do not parse included, never their values', () => {
      const said = problems(() =>
        settingsFromEnv(
          {
            ...env,
            RECORDING_STATUS_TOKEN_SECRET: 'short-secret-value',
            REALTIMEKIT_API_BASE: 'not-a-url',
            REALTIMEKIT_WEBHOOK_KEY: 'garbage',
            REALTIMEKIT_WEBHOOK_KEY_URL: 'webhooks.json',
            RECORDING_STATUS_BUDGET: 'lots',
            RECORDING_STATUS_TOKEN_TTL: '-5',
            RECORDING_STATUS_VIEWER_BUDGET: '0.5',
            RECORDING_STATUS_STREAMS_PER_TOKEN: 'many',
          },
          'recording-status-server',
        ),
      );
      assert.deepEqual(said, [
        'RECORDING_STATUS_TOKEN_SECRET must be at least 32 bytes: openssl rand -hex 32.',
        'REALTIMEKIT_API_BASE must be an absolute http(s) URL, such as https://api.cloudflare.com/client/v4.',
        'REALTIMEKIT_WEBHOOK_KEY_URL must be an absolute http(s) URL, such as https://api.realtime.cloudflare.com/.well-known/webhooks.json.',
        "REALTIMEKIT_WEBHOOK_KEY is not a PEM public key (-----BEGIN PUBLIC KEY----- …); leave it unset to fetch RealtimeKit's.",
        'RECORDING_STATUS_BUDGET must be a whole number of requests per minute, at least 1 (default 900).',
        'RECORDING_STATUS_TOKEN_TTL must be a positive number.',
        'RECORDING_STATUS_VIEWER_BUDGET must be a whole number, at least 1 (default 90).',
        'RECORDING_STATUS_STREAMS_PER_TOKEN must be a whole number, at least 1 (default 32).',
      ]);
      for (const value of ['short-secret-value', 'not-a-url', 'garbage', 'lots'])
        assert.equal(said.join(' ').includes(value), false, value);
    });

    it('serverOptionsFromEnv gives the options a host spreads into createRecordingServer, or names the variables', () => {
      assert.deepEqual(
        serverOptionsFromEnv({
          ...env,
          RECORDING_STATUS_BUDGET: '60',
          RECORDING_STATUS_BASE_PATH: '/rs',
          RECORDING_STATUS_VIEWER_BUDGET: '12',
          RECORDING_STATUS_STREAMS_TOTAL: '500',
        }),
        {
          accountId: 'acc',
          appId: 'app',
          apiToken: env.REALTIMEKIT_API_TOKEN,
          tokenSecret: SECRET,
          basePath: '/rs',
          budget: 60,
          viewerBudget: 12,
          streams: { total: 500 },
        },
      );
      assert.deepEqual(
        problems(() => serverOptionsFromEnv({ ...env, REALTIMEKIT_APP_ID: '' })),
        ['REALTIMEKIT_APP_ID is not set.'],
      );
    });

    it('flags REALTIMEKIT_API_BASE without /client/v4 by its variable', () => {
      const settings = settingsFromEnv({ ...env, REALTIMEKIT_API_BASE: 'http://127.0.0.1:8788' }, 'x');
      assert.match(settings.warnings[0] ?? '', /^REALTIMEKIT_API_BASE does not end in \/client\/v4/);
    });
  });

  it('reads every variable of the table into its option, and lists each in --help with its default', () => {
    const set = Object.fromEntries(VARIABLES.map((v) => [v.name, v.kind === 'number' ? '7' : `text-${v.name}`]));
    /** @type {Record<string, any>} */
    const options = optionsFromEnv(set);
    for (const v of VARIABLES) {
      const value = v.option.split('.').reduce((at, key) => at?.[key], options);
      assert.equal(value, v.kind === 'number' ? 7 : `text-${v.name}`, v.name);
    }
    const help = variablesHelp();
    for (const v of VARIABLES) assert.ok(help.includes(v.name) && (v.required || help.includes(v.default)), v.name);
  });

  it('--help wraps each description beside its name, within 100 columns but for a long default, and names the secrets', () => {
    const help = variablesHelp([{ name: 'PORT', required: false, default: '8787', description: 'the port' }]);
    const lines = help.split('\n');
    const column = (/^ {2}\S+ +/.exec(lines[0] ?? '') ?? [''])[0].length;
    for (const line of lines) {
      // A default is one note, never broken: a long URL may run past the width on a line of its own.
      if (line.length > 100) assert.match(line.trim(), /^\(default \S+\)$/, line);
      if (!/^ {2}[A-Z]/.test(line)) assert.equal(line.search(/\S/), column, `continuation aligned: ${line}`);
    }
    /** Each variable's entry, by name: its line and the continuation lines under it. */
    const entries = new Map(
      help.split(/\n(?= {2}[A-Z])/).map((text) => [text.trim().split(' ')[0], text.replace(/\s+/g, ' ')]),
    );
    const entry = (/** @type {string} */ name) => entries.get(name) ?? '';
    for (const v of VARIABLES) {
      assert.equal(entry(v.name).includes('a secret)'), v.secret, `${v.name} is${v.secret ? '' : ' not'} a secret`);
    }
    assert.match(entry('PORT'), /the port \(default 8787\)$/);
  });
});
