// @ts-check
/**
 * The server's options, checked at startup: every problem at once, in the vocabulary of whoever set them (the
 * option's name in code, the variable's name from an environment), with the fix where there is one, and never
 * a value.
 */
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ConfigurationError,
  isPublicKeyPem,
  resolveOptions,
  serverOptionsFromEnv,
  settingsFromEnv,
} from '../../dist/server/options.js';

const SECRET = 'a-token-secret-of-at-least-thirty-two-bytes';
const base = { accountId: 'acc', appId: 'app', apiToken: 'api-token-never-said-0001', tokenSecret: SECRET };
const env = {
  REALTIMEKIT_ACCOUNT_ID: 'acc',
  REALTIMEKIT_APP_ID: 'app',
  REALTIMEKIT_API_TOKEN: 'api-token-never-said-0001',
  RECORDING_STATUS_TOKEN_SECRET: SECRET,
};
const PEM = /** @type {string} */ (
  generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' })
);

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

describe('server/options', () => {
  describe('from code: problems name the option', () => {
    /** @type {[string, Record<string, unknown>, string][]} */
    const cases = [
      ['a missing accountId', { accountId: '' }, 'accountId is required.'],
      [
        'a short tokenSecret',
        { tokenSecret: 'x'.repeat(31) },
        'tokenSecret must be at least 32 bytes: openssl rand -hex 32.',
      ],
      [
        'an apiBase that is no URL',
        { apiBase: 'not-a-url' },
        'apiBase must be an absolute http(s) URL, such as https://api.cloudflare.com/client/v4.',
      ],
      [
        'an apiBase that is not http(s)',
        { apiBase: 'ftp://rtk.example/client/v4' },
        'apiBase must be an absolute http(s) URL, such as https://api.cloudflare.com/client/v4.',
      ],
      [
        'a relative webhookKeyUrl',
        { webhookKeyUrl: '/.well-known/webhooks.json' },
        'webhookKeyUrl must be an absolute http(s) URL, such as https://api.realtime.cloudflare.com/.well-known/webhooks.json.',
      ],
      [
        'a webhookKey that does not parse',
        { webhookKey: 'garbage' },
        "webhookKey is not a PEM public key (-----BEGIN PUBLIC KEY----- …); leave it unset to fetch RealtimeKit's.",
      ],
      [
        'a fractional budget (never Retry-After: Infinity)',
        { budget: 0.5 },
        'budget must be a whole number of requests per minute, at least 1 (default 900).',
      ],
      [
        'a zero budget',
        { budget: 0 },
        'budget must be a whole number of requests per minute, at least 1 (default 900).',
      ],
      ['a negative freshFor', { freshFor: -1 }, 'freshFor must be a positive number.'],
      [
        'a basePath without its slash',
        { basePath: 'api' },
        'basePath must start with / and not end with one, such as /api/recordings.',
      ],
    ];
    for (const [name, patch, message] of cases) {
      it(`refuses ${name}`, () => {
        assert.deepEqual(
          problems(() => resolveOptions({ ...base, ...patch })),
          [message],
        );
      });
    }

    it('says every problem at once, prefixed by who checked, never a value', () => {
      try {
        resolveOptions({ ...base, appId: '', apiToken: '', budget: 1.5, apiBase: 'nope' });
        assert.fail('accepted');
      } catch (error) {
        assert.ok(error instanceof ConfigurationError);
        assert.equal(error.problems.length, 4);
        assert.match(error.message, /^createRecordingServer: appId is required\. apiToken is required\./);
        assert.equal(error.message.includes('nope'), false);
      }
    });

    it('accepts a real PEM key and a base with /client/v4, with no warning', () => {
      const settings = resolveOptions({ ...base, webhookKey: PEM, apiBase: 'http://127.0.0.1:8788/client/v4/' });
      assert.deepEqual(settings.warnings, []);
      assert.equal(settings.upstreamBase, 'http://127.0.0.1:8788/client/v4/accounts/acc/realtime/kit/app');
    });

    it('flags an apiBase without /client/v4, where every read would be 404', () => {
      assert.deepEqual(resolveOptions({ ...base, apiBase: 'https://api.cloudflare.com' }).warnings, [
        "apiBase does not end in /client/v4: RealtimeKit's API lives under https://api.cloudflare.com/client/v4, and any other base answers every read 404.",
      ]);
    });
  });

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

  it('tells a PEM public key from what is not one', () => {
    assert.equal(isPublicKeyPem(PEM), true);
    assert.equal(isPublicKeyPem(PEM.replace(/[A-Za-z0-9+/]{10}\n/, '\n')), false);
    assert.equal(isPublicKeyPem('-----BEGIN PUBLIC KEY-----\nZ2FyYmFnZQ==\n-----END PUBLIC KEY-----'), false);
    assert.equal(isPublicKeyPem(PEM.replace('PUBLIC KEY', 'PRIVATE KEY')), false);
  });
});
