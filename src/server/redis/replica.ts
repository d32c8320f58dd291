/**
 * What a Node replica holds of Redis: its two connections, the deployment's keys, its heartbeat, the shared
 * budget and the hub, made together from the server's settings and opened once at startup.
 */
import type { Clock } from '../../platform.js';
import type { Upstream } from '../upstream.js';
import { RedisBudget } from './budget.js';
import { RedisConnection } from './connection.js';
import { Keys } from './keys.js';
import type { RedisClientLike } from './package.js';
import { RedisHub } from './redis-hub.js';
import { Replicas } from './replicas.js';

export interface ReplicaSettings {
  readonly redis: string | RedisClientLike;
  readonly prefix: string;
  readonly perMinute: number;
  readonly perViewer: number;
  readonly freshFor: number;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}

export class RedisReplica {
  readonly connection: RedisConnection;
  readonly keys: Keys;
  readonly replicas: Replicas;
  readonly budget: RedisBudget;
  readonly #settings: ReplicaSettings;
  #hub: RedisHub | null = null;

  constructor(settings: ReplicaSettings) {
    this.#settings = settings;
    this.connection = new RedisConnection({ redis: settings.redis, log: settings.log });
    this.keys = new Keys(settings.prefix);
    this.replicas = new Replicas(this.connection, this.keys, settings.clock);
    this.budget = new RedisBudget({
      connection: this.connection,
      keys: this.keys,
      perMinute: settings.perMinute,
      perViewer: settings.perViewer,
      clock: settings.clock,
      replicas: () => this.replicas.count,
    });
  }

  /** The hub over the upstream client the budget pays for (made once). */
  hub(upstream: Upstream): RedisHub {
    this.#hub ??= new RedisHub({
      upstream,
      clock: this.#settings.clock,
      freshFor: this.#settings.freshFor,
      connection: this.connection,
      keys: this.keys,
      owner: this.replicas.id,
    });
    return this.#hub;
  }

  /** Loads node-redis (a missing package rejects, naming it) and connects; a Redis that is down is no error. */
  async open(): Promise<void> {
    await this.connection.open();
    await this.replicas.start();
  }

  async close(): Promise<void> {
    this.#hub?.close();
    await this.replicas.stop();
    await this.connection.close();
  }
}
