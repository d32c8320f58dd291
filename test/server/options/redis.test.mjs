// @ts-check
/** The `redis` and `redisPrefix` options: checked without Redis, named (never shown) when wrong. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ConfigurationError, resolveOptions } from '../../../dist/server/options/resolve.js';
import { optionsFromEnv, settingsFromEnv } from '../../../dist/server/options/variables.js';

const base = {
  accountId: 'acc',
  appId: 'app',
  apiToken: 'token',
  tokenSecret: 'a-secret-that-is-long-enough-0123456789',
};

test('without redis nothing is shared: settings hold no Redis', () => {
  assert.equal(resolveOptions(base).redis, undefined);
});

test('a redis:// URL gets the default prefix, one per RealtimeKit app', () => {
  const settings = resolveOptions({ ...base, redis: 'redis://127.0.0.1:6379' });
  assert.deepEqual(settings.redis, { client: 'redis://127.0.0.1:6379', prefix: 'recording-status:acc:app:' });
  assert.equal(resolveOptions({ ...base, redis: 'rediss://h:1', redisPrefix: 'p:' }).redis?.prefix, 'p:');
});

test('a node-redis client is taken as it is', () => {
  const client = { sendCommand: () => Promise.resolve(null), duplicate: () => client };
  assert.equal(resolveOptions({ ...base, redis: /** @type {any} */ (client) }).redis?.client, client);
});

test('a URL that is not redis:// is refused, naming the option and never the value (it may hold a password)', () => {
  for (const redis of ['http://h:6379', 'not a url', 'redis-password-secret']) {
    assert.throws(
      () => resolveOptions({ ...base, redis }),
      (/** @type {unknown} */ error) => {
        assert.ok(error instanceof ConfigurationError);
        assert.match(error.message, /redis must be a redis:\/\/ or rediss:\/\/ URL/);
        assert.equal(error.message.includes(redis), false);
        return true;
      },
    );
  }
  assert.throws(() => resolveOptions({ ...base, redis: 'redis://h:1', redisPrefix: '' }), /redisPrefix must be/);
});

test('RECORDING_STATUS_REDIS_URL and _PREFIX set the options; a bad one is named by its variable', () => {
  const env = {
    REALTIMEKIT_ACCOUNT_ID: 'acc',
    REALTIMEKIT_APP_ID: 'app',
    REALTIMEKIT_API_TOKEN: 'token',
    RECORDING_STATUS_TOKEN_SECRET: base.tokenSecret,
    RECORDING_STATUS_REDIS_URL: 'redis://:pw@10.0.0.5:6379',
    RECORDING_STATUS_REDIS_PREFIX: 'staging:',
  };
  assert.equal(optionsFromEnv(env).redis, 'redis://:pw@10.0.0.5:6379');
  assert.deepEqual(settingsFromEnv(env, 'cli').redis, { client: 'redis://:pw@10.0.0.5:6379', prefix: 'staging:' });
  assert.throws(
    () => settingsFromEnv({ ...env, RECORDING_STATUS_REDIS_URL: 'http://:pw@h' }, 'cli'),
    (/** @type {unknown} */ error) => {
      assert.ok(error instanceof ConfigurationError);
      assert.match(error.message, /RECORDING_STATUS_REDIS_URL must be a redis:\/\//);
      assert.equal(error.message.includes('pw'), false);
      return true;
    },
  );
});
