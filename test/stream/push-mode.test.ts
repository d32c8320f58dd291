import { expect } from '@open-wc/testing';
import {
  FAILURES_BEFORE_POLLING,
  nextPushMode,
  polls,
  type PushMode,
  type PushNews,
} from '../../src/stream/push-mode.js';

const MODES: readonly PushMode[] = ['connecting', 'live', 'fallback', 'off'];

describe('stream/push-mode', () => {
  // Each row: the news, then the mode it leads to from connecting, live, fallback and off.
  const table: [string, PushNews, [PushMode, PushMode, PushMode, PushMode]][] = [
    ['start: only a push that is off connects', { kind: 'start' }, ['connecting', 'live', 'fallback', 'connecting']],
    ['live: events flow, whatever came before', { kind: 'live' }, ['live', 'live', 'live', 'live']],
    [
      'dropped: a live stream reconnects, quietly; nothing else changes',
      { kind: 'dropped' },
      ['connecting', 'connecting', 'fallback', 'off'],
    ],
    [
      'waiting for a slot: polls meanwhile, unless push is off',
      { kind: 'waiting' },
      ['fallback', 'fallback', 'fallback', 'off'],
    ],
    [
      'one failure short of the limit: keeps trying without polling',
      { kind: 'failed', inARow: FAILURES_BEFORE_POLLING - 1 },
      ['connecting', 'live', 'fallback', 'off'],
    ],
    [
      'failures in a row reach the limit: polls meanwhile',
      { kind: 'failed', inARow: FAILURES_BEFORE_POLLING },
      ['fallback', 'fallback', 'fallback', 'off'],
    ],
    [
      'more failures past the limit: still polls meanwhile',
      { kind: 'failed', inARow: FAILURES_BEFORE_POLLING + 5 },
      ['fallback', 'fallback', 'fallback', 'off'],
    ],
    ['ended: push is off, from anywhere', { kind: 'ended' }, ['off', 'off', 'off', 'off']],
  ];

  for (const [name, news, expected] of table) {
    it(name, () => {
      expect(MODES.map((mode) => nextPushMode(mode, news))).to.deep.equal(expected);
    });
  }

  it('three failed attempts in a row are what it takes to poll meanwhile', () => {
    expect(FAILURES_BEFORE_POLLING).to.equal(3);
  });

  it('timers poll without push and while push falls back, never while it connects or is live', () => {
    expect(MODES.map(polls)).to.deep.equal([false, false, true, true]);
  });
});
