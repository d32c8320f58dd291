import { expect } from '@open-wc/testing';
import { StreamRegistry } from '../../src/stream/registry.js';
import type { StreamKey } from '../../src/stream/key.js';
import { FakeFetch, fakeEnvironment, json, settle } from '../helpers/fake-env.js';
import { apiRecording, one } from '../helpers/recordings.js';

const key = (id: string, tokenUrl: string | null = null): StreamKey => ({
  url: `https://p.example/recordings/${id}`,
  tokenUrl,
  target: { kind: 'recording', id },
});
const settings = { pollInterval: 5000, requestTimeout: 15_000 };
const listener = () => ({ state: () => {}, error: () => {} });

function setup() {
  const fake = new FakeFetch(() => json(one(apiRecording())));
  const env = fakeEnvironment(fake);
  return { fake, env, registry: new StreamRegistry(env) };
}

describe('stream/registry', () => {
  it('gives equal keys one stream: a hundred subscribers cost one request', async () => {
    const { registry, fake, env } = setup();
    const leases = Array.from({ length: 100 }, () => registry.acquire(key('r1')));
    for (const lease of leases) lease.stream.subscribe(listener(), settings);
    await env.clock.advance(0);
    expect(new Set(leases.map((l) => l.stream)).size).to.equal(1);
    expect(fake.calls).to.have.length(1);
  });

  it('keeps streams apart for different resources, proxies or token endpoints', () => {
    const { registry } = setup();
    const streams = [
      key('r1'),
      key('r2'),
      key('r1', 'https://p.example/token'),
      { ...key('r1'), url: 'https://q.example/recordings/r1' },
    ].map((k) => registry.acquire(k).stream);
    expect(new Set(streams).size).to.equal(4);
  });

  it('drops and stops a stream a microtask after its last release', async () => {
    const { registry, env } = setup();
    const lease = registry.acquire(key('r1'));
    const unsubscribe = lease.stream.subscribe(listener(), settings);
    await env.clock.advance(0);
    unsubscribe();
    lease.release();
    expect(registry.size).to.equal(1);
    await settle(1);
    expect(registry.size).to.equal(0);
    expect(lease.stream.active).to.equal(false);
  });

  it('a stream released and acquired again in one task (an element moved) is kept, with no new request', async () => {
    const { registry, fake, env } = setup();
    const first = registry.acquire(key('r1'));
    first.stream.subscribe(listener(), settings)();
    await env.clock.advance(0);
    first.release();
    const second = registry.acquire(key('r1'));
    second.stream.subscribe(listener(), settings);
    await env.clock.advance(0);
    expect(second.stream).to.equal(first.stream);
    expect(registry.size).to.equal(1);
    expect(fake.calls.length).to.be.at.most(2);
  });

  it('releasing twice counts once', async () => {
    const { registry } = setup();
    const a = registry.acquire(key('r1'));
    registry.acquire(key('r1'));
    a.release();
    a.release();
    await settle(1);
    expect(registry.size).to.equal(1);
  });
});
