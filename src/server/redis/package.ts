/**
 * The Redis client this server speaks to: node-redis (`redis` on npm), an optional peer dependency loaded only
 * when Redis is configured. Only the few calls below are used, typed here so that nothing of the package's own
 * types reaches this package's declarations: a host without Redis installs nothing.
 */

/** The package a host installs to scale out through Redis, pinned as this package's devDependency. */
export const REDIS_PACKAGE = 'redis';

/** What a pub/sub message listener receives. */
export type MessageListener = (message: string, channel: string) => void;

/** The subset of a node-redis client (version 6) this server uses. */
export interface RedisClientLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  duplicate(overrides?: RedisClientSettings): RedisClientLike;
  sendCommand(args: readonly string[], options?: { readonly timeout?: number }): Promise<unknown>;
  subscribe(channels: string | string[], listener: MessageListener): Promise<unknown>;
  unsubscribe(channels?: string | string[], listener?: MessageListener): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready' | 'end' | 'reconnecting', listener: () => void): unknown;
  close(): Promise<unknown>;
  destroy(): void;
}

/** node-redis's options this server sets on the connections it opens. */
export interface RedisClientSettings {
  readonly url?: string;
  readonly disableOfflineQueue?: boolean;
  readonly commandsQueueMaxLength?: number;
  readonly pingInterval?: number;
  readonly socket?: {
    readonly connectTimeout?: number;
    readonly reconnectStrategy?: (retries: number, cause: Error) => number | Error | false;
  };
}

interface RedisModule {
  readonly createClient: (settings: RedisClientSettings) => RedisClientLike;
}

/** The host asked for Redis and the package is not installed (or not node-redis). */
export class RedisPackageError extends Error {
  constructor(cause?: unknown) {
    super(
      `Redis is configured (the redis option or RECORDING_STATUS_REDIS_URL), but the '${REDIS_PACKAGE}' package ` +
        `(node-redis 6) could not be loaded: npm install ${REDIS_PACKAGE}`,
      { cause },
    );
    this.name = 'RedisPackageError';
  }
}

/**
 * node-redis, imported on first use. The specifier is a variable so that bundlers (a Worker build, a browser
 * bundle) never pull the package in: only a Node process that configured Redis ever loads it.
 */
export async function loadRedis(name: string = REDIS_PACKAGE): Promise<RedisModule> {
  let loaded: unknown;
  try {
    loaded = await import(/* @vite-ignore */ name);
  } catch (error) {
    throw new RedisPackageError(error);
  }
  const module = loaded as Partial<RedisModule> & { default?: Partial<RedisModule> };
  const createClient = module.createClient ?? module.default?.createClient;
  if (typeof createClient !== 'function') throw new RedisPackageError();
  return { createClient };
}
