import { expect } from '@open-wc/testing';
import { parseMilliseconds, parseTransport, streamRequest, targetOf, type ElementConfig } from '../src/config.js';

const base: ElementConfig = {
  recordingId: null,
  meetingId: null,
  proxyUrl: null,
  tokenEndpoint: null,
  pollInterval: 5000,
  requestTimeout: 15_000,
};

describe('config', () => {
  describe('parseMilliseconds', () => {
    const table: [unknown, number][] = [
      ['5000', 5000],
      ['2500', 2500],
      [' 3000 ', 3000],
      ['999', 1000],
      ['0', 1000],
      ['-20', 1000],
      ['1500.6', 1501],
      ['', 7000],
      ['fast', 7000],
      ['5s', 7000],
      ['1e4', 7000],
      [null, 7000],
      [undefined, 7000],
      [NaN, 7000],
      [Infinity, 7000],
      [200, 1000],
      [12_000, 12_000],
      // Past the maximum: clamped, never left to overflow a browser timer into a tight loop.
      ['60000', 60_000],
      ['60001', 60_000],
      ['3000000000', 60_000],
      [2 ** 31, 60_000],
    ];
    for (const [raw, expected] of table) {
      it(`${raw === undefined ? 'undefined' : JSON.stringify(raw)} → ${expected}`, () =>
        expect(parseMilliseconds(raw, 7000, 60_000)).to.equal(expected));
    }
  });

  describe('targetOf', () => {
    it('is idle with no ID', () => expect(targetOf(base)).to.equal(null));
    it('is idle with blank IDs', () => expect(targetOf({ ...base, recordingId: '  ', meetingId: '' })).to.equal(null));
    it('tracks a meeting', () =>
      expect(targetOf({ ...base, meetingId: 'm1' })).to.deep.equal({ kind: 'meeting', id: 'm1' }));
    it('lets recording-id win over meeting-id', () =>
      expect(targetOf({ ...base, meetingId: 'm1', recordingId: 'r1' })).to.deep.equal({ kind: 'recording', id: 'r1' }));
  });

  describe('streamRequest', () => {
    const page = 'https://host.example/app/index.html';
    it('is idle without an ID, even without proxy-url', () =>
      expect(streamRequest(base, page)).to.deep.equal({ kind: 'idle' }));

    it('an ID without proxy-url is a config error', () => {
      const request = streamRequest({ ...base, recordingId: 'r1' }, page);
      expect(request.kind).to.equal('invalid');
      expect(request.kind === 'invalid' && request.failure.kind).to.equal('config');
      expect(request.kind === 'invalid' && request.failure.message).to.include('proxy-url');
    });

    it('a javascript: proxy-url is a config error', () => {
      const request = streamRequest({ ...base, recordingId: 'r1', proxyUrl: 'javascript:alert(1)' }, page);
      expect(request.kind === 'invalid' && request.failure.kind).to.equal('config');
    });

    it('resolves URLs against the page and applies the settings', () => {
      const request = streamRequest(
        {
          ...base,
          meetingId: 'm1',
          proxyUrl: '/rtk',
          tokenEndpoint: 'token',
          pollInterval: '300',
          requestTimeout: 'x',
        },
        page,
      );
      expect(request).to.deep.equal({
        kind: 'watch',
        key: {
          url: 'https://host.example/rtk/recordings?meeting_id=m1&sort_by=invokedTime&sort_order=DESC&per_page=1',
          tokenUrl: 'https://host.example/app/token?meeting_id=m1',
          target: { kind: 'meeting', id: 'm1' },
          events: 'https://host.example/rtk/events?meeting_id=m1',
        },
        settings: { pollInterval: 1000, requestTimeout: 15_000 },
      });
    });

    const transports: [unknown, string | null][] = [
      [undefined, 'https://host.example/rtk/events?recording_id=r+1'],
      ['auto', 'https://host.example/rtk/events?recording_id=r+1'],
      ['websocket', 'https://host.example/rtk/events?recording_id=r+1'],
      ['', 'https://host.example/rtk/events?recording_id=r+1'],
      ['poll', null],
      [' POLL ', null],
    ];
    for (const [transport, events] of transports) {
      it(`transport ${JSON.stringify(transport)} ${events ? 'follows {proxy-url}/events' : 'only polls'}`, () => {
        const request = streamRequest({ ...base, recordingId: 'r 1', proxyUrl: '/rtk/', transport }, page);
        expect(request.kind === 'watch' && request.key.events).to.equal(events);
      });
    }
  });

  describe('parseTransport', () => {
    const cases: [unknown, string][] = [
      ['auto', 'auto'],
      ['poll', 'poll'],
      ['Poll', 'poll'],
      ['sse', 'auto'],
      [null, 'auto'],
      [42, 'auto'],
    ];
    for (const [raw, expected] of cases) {
      it(`${JSON.stringify(raw)} is ${expected}`, () => {
        expect(parseTransport(raw)).to.equal(expected);
      });
    }
  });
});
