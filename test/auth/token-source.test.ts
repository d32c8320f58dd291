import { expect } from '@open-wc/testing';
import { RequestFailure } from '../../src/api/errors.js';
import { TokenSource, tokenUrl } from '../../src/auth/token-source.js';
import { FakeClock, FakeFetch, hang, json, text } from '../helpers/fake-env.js';

const signal = () => new AbortController().signal;

function source(handler: ConstructorParameters<typeof FakeFetch>[0], clock = new FakeClock()) {
  const fake = new FakeFetch(handler);
  return { tokens: new TokenSource('https://host.example/token?recording_id=r1', fake.fetch, clock), fake, clock };
}

describe('auth/token-source', () => {
  describe('tokenUrl', () => {
    const base = 'https://host.example/app/';
    it('adds recording_id', () =>
      expect(tokenUrl('/token', base, { kind: 'recording', id: 'r 1' })).to.equal(
        'https://host.example/token?recording_id=r+1',
      ));
    it('adds meeting_id and keeps the query', () =>
      expect(tokenUrl('t?x=1', base, { kind: 'meeting', id: 'm1' })).to.equal(
        'https://host.example/app/t?x=1&meeting_id=m1',
      ));
    it('refuses javascript: as config', () =>
      expect(() => tokenUrl('javascript:alert(1)', base, { kind: 'meeting', id: 'm' }))
        .to.throw(RequestFailure)
        .with.property('kind', 'config'));
  });

  it('fetches once and caches while the token is fresh', async () => {
    const { tokens, fake, clock } = source(() => json({ token: 'A', expires_in: 300 }));
    expect(await tokens.get(5000, signal())).to.equal('A');
    await clock.advance(200_000);
    expect(await tokens.get(5000, signal())).to.equal('A');
    expect(fake.calls).to.have.length(1);
  });

  it('renews shortly before expiry (30 s ahead, at most a fifth of the lifetime)', async () => {
    let n = 0;
    const { tokens, fake, clock } = source(() => json({ token: `T${++n}`, expires_in: 300 }));
    await tokens.get(5000, signal());
    await clock.advance(269_000);
    expect(await tokens.get(5000, signal())).to.equal('T1');
    await clock.advance(1000);
    expect(await tokens.get(5000, signal())).to.equal('T2');
    expect(fake.calls).to.have.length(2);
  });

  it('scales the margin down for short-lived tokens', async () => {
    let n = 0;
    const { tokens, clock } = source(() => json({ token: `T${++n}`, expires_in: 10 }));
    await tokens.get(5000, signal());
    await clock.advance(7900);
    expect(await tokens.get(5000, signal())).to.equal('T1');
    await clock.advance(100);
    expect(await tokens.get(5000, signal())).to.equal('T2');
  });

  it('honours expires_at', async () => {
    let n = 0;
    const clock = new FakeClock(Date.parse('2026-11-20T10:00:00Z'));
    const { tokens } = source(() => json({ token: `T${++n}`, expires_at: '2026-11-20T10:10:00Z' }), clock);
    await tokens.get(5000, signal());
    await clock.advance(560_000);
    expect(await tokens.get(5000, signal())).to.equal('T1');
    await clock.advance(15_000);
    expect(await tokens.get(5000, signal())).to.equal('T2');
  });

  it('shares one renewal among concurrent callers', async () => {
    const { tokens, fake } = source(() => json({ token: 'A', expires_in: 60 }));
    const results = await Promise.all([
      tokens.renew(5000, signal()),
      tokens.renew(5000, signal()),
      tokens.get(5000, signal()),
    ]);
    expect(results).to.deep.equal(['A', 'A', 'A']);
    expect(fake.calls).to.have.length(1);
  });

  it('asks with same-origin credentials and no Authorization header', async () => {
    const { tokens, fake } = source(() => json({ token: 'A' }));
    await tokens.get(5000, signal());
    expect(fake.calls[0]!.headers).to.not.have.property('authorization');
  });

  const failures: [string, () => Response | Promise<Response>, string][] = [
    ['a 500', () => json({ error: 'x' }, 500), 'token'],
    ['a 401 (signed out of the host app)', () => json({ error: 'x' }, 401), 'token'],
    ['a body without a token', () => json({ nope: true }), 'token'],
    ['HTML', () => text('<html></html>'), 'token'],
    ['an unreachable endpoint', () => Promise.reject(new TypeError('Failed to fetch')), 'token'],
  ];
  for (const [name, handler, kind] of failures) {
    it(`${name} → ${kind}`, async () => {
      const { tokens } = source(handler);
      const error = (await tokens.get(5000, signal()).catch((e: unknown) => e)) as RequestFailure;
      expect(error).to.be.instanceOf(RequestFailure);
      expect(error.kind).to.equal(kind);
    });
  }

  it('a hung endpoint is a timeout', async () => {
    const { tokens, clock } = source(() => hang());
    const pending = tokens.get(3000, signal()).then(
      () => null,
      (e: unknown) => e as RequestFailure,
    );
    await clock.advance(3000);
    expect((await pending)?.kind).to.equal('timeout');
  });

  describe('send: a request with the token, renewed once on a refusal', () => {
    const refused = () => new RequestFailure('unauthorized', 'The proxy refused the credentials (401).');

    it('a refusal renews the token and sends once more, with the new token', async () => {
      let n = 0;
      const { tokens, fake } = source(() => json({ token: `T${++n}`, expires_in: 300 }));
      const sent: string[] = [];
      const answer = await tokens.send(
        (token) => (sent.push(token), sent.length === 1 ? Promise.reject(refused()) : Promise.resolve('ok')),
        5000,
        signal(),
      );
      expect([answer, sent, fake.calls.length]).to.deep.equal(['ok', ['T1', 'T2'], 2]);
    });

    it('a second refusal stands: no third request, no third token', async () => {
      let n = 0;
      const { tokens, fake } = source(() => json({ token: `T${++n}`, expires_in: 300 }));
      const sent: string[] = [];
      const failure = await tokens
        .send((token) => (sent.push(token), Promise.reject(refused())), 5000, signal())
        .catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(RequestFailure).with.property('kind', 'unauthorized');
      expect([sent, fake.calls.length]).to.deep.equal([['T1', 'T2'], 2]);
    });

    it('any other failure is thrown at once, without a renewal', async () => {
      const { tokens, fake } = source(() => json({ token: 'A', expires_in: 300 }));
      const failure = await tokens
        .send(() => Promise.reject(new RequestFailure('forbidden', 'No.')), 5000, signal())
        .catch((error: unknown) => error);
      expect(failure).to.have.property('kind', 'forbidden');
      expect(fake.calls).to.have.length(1);
    });

    it('fresh: fetches a new token first, although the cached one is still good', async () => {
      let n = 0;
      const { tokens } = source(() => json({ token: `T${++n}`, expires_in: 300 }));
      await tokens.get(5000, signal());
      expect(await tokens.send((token) => Promise.resolve(token), 5000, signal(), true)).to.equal('T2');
    });
  });
});
