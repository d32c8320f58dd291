import { expect } from '@open-wc/testing';
import { sameKey, streamId, type StreamKey } from '../../src/stream/key.js';

const base: StreamKey = {
  url: 'https://p.example/recordings/r1',
  tokenUrl: null,
  target: { kind: 'recording', id: 'r1' },
  events: 'https://p.example/events?recording_id=r1',
};

describe('stream/key', () => {
  it('a copy of a key is the same stream, and an absent events URL is the same as none', () => {
    expect(sameKey(base, { ...base, target: { ...base.target } })).to.equal(true);
    const polledOnly: StreamKey = { url: base.url, tokenUrl: base.tokenUrl, target: base.target };
    expect(sameKey(polledOnly, { ...base, events: null })).to.equal(true);
  });

  it('a different URL, token endpoint, events URL, target kind or ID is another stream', () => {
    const others: StreamKey[] = [
      { ...base, url: 'https://q.example/recordings/r1' },
      { ...base, tokenUrl: 'https://p.example/token?recording_id=r1' },
      { ...base, events: null },
      { ...base, target: { kind: 'meeting', id: 'r1' } },
      { ...base, target: { kind: 'recording', id: 'r2' } },
    ];
    for (const other of others) expect(sameKey(base, other), JSON.stringify(other)).to.equal(false);
    expect(new Set([base, ...others].map(streamId)).size).to.equal(others.length + 1);
  });

  it('fields cannot run into each other: a separator inside a value is still another key', () => {
    const a: StreamKey = { ...base, url: 'https://p.example/a","b', tokenUrl: null };
    const b: StreamKey = { ...base, url: 'https://p.example/a', tokenUrl: 'b' };
    expect(sameKey(a, b)).to.equal(false);
  });
});
