/**
 * The `redis` and `redisPrefix` options checked (options/resolve.ts asks): a redis:// or rediss:// URL, or
 * something shaped like a node-redis client; a prefix of reasonable length. Problems name the option (or its
 * variable), never its value: a Redis URL may hold a password.
 */
import { defaultPrefix } from './keys.js';
import { isRedisClient, type RedisClientLike } from './package.js';

export interface RedisSetting {
  readonly client: string | RedisClientLike;
  readonly prefix: string;
}

export function redisSetting(
  value: unknown,
  prefix: unknown,
  app: { readonly accountId: string; readonly appId: string },
  name: (option: 'redis' | 'redisPrefix') => string,
  problems: string[],
): RedisSetting | undefined {
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix === '' || prefix.length > 200)) {
    problems.push(`${name('redisPrefix')} must be a non-empty string of at most 200 characters.`);
  }
  if (value === undefined) return undefined;
  const chosen = typeof prefix === 'string' && prefix !== '' ? prefix : defaultPrefix(app.accountId, app.appId);
  if (isRedisClient(value)) return { client: value, prefix: chosen };
  let url: URL | null = null;
  try {
    url = typeof value === 'string' ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    const client = name('redis') === 'redis' ? ', or a node-redis client' : '';
    problems.push(`${name('redis')} must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379${client}.`);
    return undefined;
  }
  return { client: value as string, prefix: chosen };
}
