/** What identifies a stream, and the one rule for when two keys are the same stream. */
import type { Target } from '../api/client.js';

/** Identifies a stream: elements with equal keys share one. URLs are already resolved and validated. */
export interface StreamKey {
  /** The proxy URL that answers for the target, query included. */
  readonly url: string;
  readonly tokenUrl: string | null;
  readonly target: Target;
  /** `{proxy-url}/events?…` for this target, or absent/null to poll only (`transport="poll"`). */
  readonly events?: string | null;
}

/** The key as one string: equal strings, one stream. An absent `events` is the same as null. */
export function streamId(key: StreamKey): string {
  return JSON.stringify([key.url, key.tokenUrl, key.events ?? null, key.target.kind, key.target.id]);
}

export function sameKey(a: StreamKey, b: StreamKey): boolean {
  return streamId(a) === streamId(b);
}
