/**
 * Where push stands for one stream, as pure transitions: the stream applies the effects (timers, requests,
 * `connection`), this says what push's news means.
 *
 * `connecting` (or reconnecting: no polls meanwhile), `live`, `fallback` (no slot, or
 * {@link FAILURES_BEFORE_POLLING} failed attempts in a row: polls while push retries), `off` (no push for this
 * stream: polls only).
 */
export type PushMode = 'connecting' | 'live' | 'fallback' | 'off';

/** Failed push attempts in a row before the stream polls meanwhile. */
export const FAILURES_BEFORE_POLLING = 3;

/** What happened to push. */
export type PushNews =
  /** The stream starts push, or a refresh gives a halted push another chance. */
  | { readonly kind: 'start' }
  /** Events flow. */
  | { readonly kind: 'live' }
  /** The event stream closed; a reconnect is due, whose first event is the snapshot. */
  | { readonly kind: 'dropped' }
  /** No stream slot is free for this origin. */
  | { readonly kind: 'waiting' }
  /** An attempt failed, the `inARow`-th in a row. */
  | { readonly kind: 'failed'; readonly inARow: number }
  /** Push is over for this stream: the proxy has none, declined, halted, or the stream settled or stopped. */
  | { readonly kind: 'ended' };

export function nextPushMode(mode: PushMode, news: PushNews): PushMode {
  switch (news.kind) {
    case 'start':
      return mode === 'off' ? 'connecting' : mode;
    case 'live':
      // Push carries the updates now: no more polls while it lasts.
      return 'live';
    case 'dropped':
      return mode === 'live' ? 'connecting' : mode;
    case 'failed':
      return news.inARow >= FAILURES_BEFORE_POLLING ? fallBack(mode) : mode;
    case 'waiting':
      return fallBack(mode);
    case 'ended':
      return 'off';
  }
}

/** Polls while push cannot; a push already given up stays off. */
function fallBack(mode: PushMode): PushMode {
  return mode === 'connecting' || mode === 'live' ? 'fallback' : mode;
}

/** Whether the stream's timers poll: without push, or while push falls back. */
export function polls(mode: PushMode): boolean {
  return mode === 'off' || mode === 'fallback';
}
