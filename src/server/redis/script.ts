/**
 * A Lua script run atomically in Redis: by its SHA-1 (EVALSHA), sent whole (EVAL) only when Redis does not know
 * it yet, as after a restart.
 */
import type { RedisConnection } from './connection.js';

async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class Script {
  readonly source: string;
  #sha: Promise<string> | null = null;

  constructor(source: string) {
    this.source = source;
  }

  async run(
    connection: RedisConnection,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    this.#sha ??= sha1(this.source);
    const rest = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await connection.command(['EVALSHA', await this.#sha, ...rest]);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return connection.command(['EVAL', this.source, ...rest]);
    }
  }
}
