/**
 * Every Redis key and channel this server uses, under one prefix: two deployments (or two apps) can share a Redis
 * without meeting. Each key expires by itself; none lives longer than the hub's own retention of what it holds.
 */
import { targetKey, type Target } from '../../api/rest.js';
import { RETAIN_SETTLED_MS } from '../target-hub.js';

/** The default prefix: one per RealtimeKit app, whose budget and recordings all its deployments share. */
export const defaultPrefix = (accountId: string, appId: string): string => `recording-status:${accountId}:${appId}:`;

/** A change to a target's state is made under this lease; it outlasts a change (no I/O inside it) by far. */
export const CHANGE_LEASE_MS = 5000;
/** An upstream read of a target is made under this lease: longer than the upstream client's 10 s timeout. */
export const READ_LEASE_MS = 15_000;
/** A bucket left alone this long is full again: its key may go. */
export const BUDGET_KEY_MS = 120_000;
/** A replica that has not said it is alive for this long is no longer counted. */
export const REPLICA_ALIVE_MS = 30_000;

export class Keys {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** The target's state (`TargetState` with a version), expiring with the hub's retention of it. */
  state(target: Target): string {
    return `${this.prefix}state:${targetKey(target)}`;
  }

  /** Where a change of the target's state is published (the new state itself). */
  channel(target: Target): string {
    return `${this.prefix}changed:${targetKey(target)}`;
  }

  /** Held while one replica changes the target's state. */
  changeLease(target: Target): string {
    return `${this.prefix}change-lease:${targetKey(target)}`;
  }

  /** Held while one replica reads the target upstream (a read, a check or a reconciliation). */
  readLease(target: Target): string {
    return `${this.prefix}read-lease:${targetKey(target)}`;
  }

  /** Names the one replica that reconciles the target while it is watched. */
  reconciler(target: Target): string {
    return `${this.prefix}reconciler:${targetKey(target)}`;
  }

  /** The app's bucket. */
  get budget(): string {
    return `${this.prefix}budget`;
  }

  /** One viewer's share. */
  viewerBudget(viewer: string): string {
    return `${this.prefix}budget:viewer:${viewer}`;
  }

  /** The replicas alive (a sorted set by when each last said so). */
  get replicas(): string {
    return `${this.prefix}replicas`;
  }
}

/** How long a target's stored state lives: until the hub would forget it, at least a second, at most a week. */
export function stateTtl(expiresAt: number, now: number): number {
  return Math.min(RETAIN_SETTLED_MS, Math.max(1000, Math.ceil(expiresAt - now)));
}
