// @ts-check
/**
 * The server's options, checked at startup: every problem at once, naming the option, with the fix where there
 * is one, and never a value. (From an environment, in the variables' names: variables.test.mjs.)
 */
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigurationError, resolveOptions } from '../../../dist/server/options/resolve.js';

const SECRET = 'a-token-secret-of-at-least-thirty-two-bytes';
const base = { accountId: 'acc', appId: 'app', apiToken: 'api-token-never-said-0001', tokenSecret: SECRET };
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

describe('server/options/resolve', () => {
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

    it('warns of http:// for apiBase or webhookKeyUrl anywhere but loopback: the API token and the key cross in clear', () => {
      const warned = resolveOptions({
        ...base,
        apiBase: 'http://rtk-proxy.internal/client/v4',
        webhookKeyUrl: 'http://keys.example/.well-known/webhooks.json',
      }).warnings;
      assert.deepEqual(warned, [
        'apiBase is http:// to rtk-proxy.internal: the API token crosses the network in clear; use https:// (http:// is for loopback).',
        'webhookKeyUrl is http:// to keys.example: whoever is on the path can swap the webhook key and sign deliveries; use https:// (http:// is for loopback).',
      ]);
      for (const host of ['127.0.0.1:8788', 'localhost:8788', '[::1]:8788', '127.1.2.3']) {
        const settings = resolveOptions({
          ...base,
          apiBase: `http://${host}/client/v4`,
          webhookKeyUrl: `http://${host}/.well-known/webhooks.json`,
        });
        assert.deepEqual(settings.warnings, [], host);
      }
    });

    it('takes a comma-separated cors origin as a list, and refuses one that is no origin by name', () => {
      const settings = resolveOptions({ ...base, cors: { origin: 'https://a.example, https://b.example:8443' } });
      assert.deepEqual(settings.cors, { origin: ['https://a.example', 'https://b.example:8443'] });
      assert.deepEqual(resolveOptions({ ...base, cors: { origin: 'https://a.example' } }).cors, {
        origin: 'https://a.example',
      });
      assert.deepEqual(
        problems(() => resolveOptions({ ...base, cors: { origin: 'https://a.example, app.example/path' } })),
        ['cors.origin must be an origin such as https://app.example, or a comma-separated list of them.'],
      );
    });
  });
});
