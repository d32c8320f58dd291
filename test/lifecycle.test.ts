import { expect } from '@open-wc/testing';
import {
  NOTHING_SHOWN,
  STEPS,
  advance,
  failedStep,
  isStatus,
  isTerminal,
  merge,
  stepStates,
  type Recording,
  type RecordingStatus,
  type Shown,
  type Step,
} from '../src/lifecycle.js';

function rec(status: RecordingStatus, overrides: Partial<Recording> = {}): Recording {
  return {
    id: 'r1',
    status,
    sessionId: null,
    meetingId: null,
    meetingTitle: null,
    invokedAt: new Date('2026-11-20T10:00:00Z'),
    startedAt: null,
    stoppedAt: null,
    downloadUrl: null,
    downloadUrlExpiresAt: null,
    audioDownloadUrl: null,
    fileSize: null,
    durationSeconds: null,
    outputFileName: null,
    ...overrides,
  };
}

describe('lifecycle', () => {
  describe('isStatus / isTerminal', () => {
    for (const [value, status, terminal] of [
      ['INVOKED', true, false],
      ['RECORDING', true, false],
      ['PAUSED', true, false],
      ['UPLOADING', true, false],
      ['UPLOADED', true, true],
      ['ERRORED', true, true],
      ['recording', false, false],
      ['STOPPED', false, false],
      [42, false, false],
    ] as const) {
      it(`${String(value)}: status ${status}, terminal ${terminal}`, () => {
        expect(isStatus(value)).to.equal(status);
        if (status) expect(isTerminal(value)).to.equal(terminal);
      });
    }
    it('null is not terminal', () => expect(isTerminal(null)).to.equal(false));
  });

  describe('merge never goes backwards for the same recording', () => {
    const table: [RecordingStatus, RecordingStatus, RecordingStatus][] = [
      // shown, incoming, expected
      ['INVOKED', 'RECORDING', 'RECORDING'],
      ['RECORDING', 'PAUSED', 'PAUSED'],
      ['PAUSED', 'RECORDING', 'RECORDING'],
      ['RECORDING', 'UPLOADING', 'UPLOADING'],
      ['UPLOADING', 'UPLOADED', 'UPLOADED'],
      ['RECORDING', 'ERRORED', 'ERRORED'],
      ['UPLOADING', 'ERRORED', 'ERRORED'],
      ['RECORDING', 'INVOKED', 'RECORDING'],
      ['UPLOADING', 'RECORDING', 'UPLOADING'],
      ['UPLOADING', 'PAUSED', 'UPLOADING'],
      ['UPLOADED', 'UPLOADING', 'UPLOADED'],
      ['UPLOADED', 'ERRORED', 'UPLOADED'],
      ['ERRORED', 'UPLOADED', 'ERRORED'],
      ['ERRORED', 'RECORDING', 'ERRORED'],
    ];
    for (const [shown, incoming, expected] of table) {
      it(`${shown} + ${incoming} → ${expected}`, () => {
        expect(merge(rec(shown), rec(incoming)).status).to.equal(expected);
      });
    }

    it('returns the shown object itself when the answer is ignored', () => {
      const shown = rec('UPLOADING');
      expect(merge(shown, rec('RECORDING'))).to.equal(shown);
    });

    it('keeps the shown object when a poll says nothing new', () => {
      const shown = rec('RECORDING', { startedAt: new Date('2026-11-20T10:00:03Z') });
      expect(merge(shown, rec('RECORDING', { startedAt: new Date('2026-11-20T10:00:03Z') }))).to.equal(shown);
    });

    it('takes fresher data of the same status (e.g. a renewed download URL)', () => {
      const incoming = rec('UPLOADED', { downloadUrl: 'https://x.example/new' });
      expect(merge(rec('UPLOADED'), incoming)).to.equal(incoming);
    });

    it('shows the first answer', () => {
      const incoming = rec('INVOKED');
      expect(merge(null, incoming)).to.equal(incoming);
    });
  });

  describe('merge across recordings of a meeting', () => {
    it('a newer recording replaces the shown one, whatever its status', () => {
      const older = rec('UPLOADED', { id: 'a', invokedAt: new Date('2026-11-20T10:00:00Z') });
      const newer = rec('INVOKED', { id: 'b', invokedAt: new Date('2026-11-20T11:00:00Z') });
      expect(merge(older, newer)).to.equal(newer);
    });
    it('an older recording from a lagging replica is ignored', () => {
      const newer = rec('RECORDING', { id: 'b', invokedAt: new Date('2026-11-20T11:00:00Z') });
      const older = rec('UPLOADED', { id: 'a', invokedAt: new Date('2026-11-20T10:00:00Z') });
      expect(merge(newer, older)).to.equal(newer);
    });
  });

  describe('failedStep', () => {
    const table: [string, Partial<Recording>, RecordingStatus | null, string][] = [
      ['seen recording', {}, 'RECORDING', 'RECORDING'],
      ['seen paused', {}, 'PAUSED', 'RECORDING'],
      ['seen uploading', {}, 'UPLOADING', 'UPLOADING'],
      ['seen invoked', {}, 'INVOKED', 'INVOKED'],
      ['unseen, never started', {}, null, 'INVOKED'],
      ['unseen, started', { startedAt: new Date(), stoppedAt: new Date() }, null, 'RECORDING'],
      ['unseen, had a file', { startedAt: new Date(), stoppedAt: new Date(), fileSize: 10 }, null, 'UPLOADING'],
    ];
    for (const [name, fields, seen, expected] of table) {
      it(`${name} → ${expected}`, () => expect(failedStep(rec('ERRORED', fields), seen)).to.equal(expected));
    }
  });

  describe('advance: the state reducer', () => {
    const at = (status: RecordingStatus, failedAt: Step | null = null, fields: Partial<Recording> = {}): Shown => ({
      recording: rec(status, fields),
      failedAt,
    });
    const stopped = { startedAt: new Date('2026-11-20T10:00:05Z'), stoppedAt: new Date('2026-11-20T10:09:00Z') };
    const table: [string, Shown, Recording | null, RecordingStatus | null, Step | null][] = [
      // name, shown, incoming, expected status, expected failed step
      ['first answer', NOTHING_SHOWN, rec('RECORDING'), 'RECORDING', null],
      ['first answer is a failure, never started', NOTHING_SHOWN, rec('ERRORED'), 'ERRORED', 'INVOKED'],
      [
        'first answer is a failure with a file',
        NOTHING_SHOWN,
        rec('ERRORED', { ...stopped, fileSize: 9 }),
        'ERRORED',
        'UPLOADING',
      ],
      ['forward', at('INVOKED'), rec('RECORDING'), 'RECORDING', null],
      ['never backwards', at('RECORDING'), rec('INVOKED'), 'RECORDING', null],
      ['a meeting with none keeps what is shown', at('RECORDING'), null, 'RECORDING', null],
      ['fails where it was last seen', at('UPLOADING'), rec('ERRORED'), 'ERRORED', 'UPLOADING'],
      ['paused fails on the recording step', at('PAUSED'), rec('ERRORED'), 'ERRORED', 'RECORDING'],
      // A refresh whose answer adds stopped_time must not move the failed step from Uploading to Recording.
      ['the failed step stays once known', at('ERRORED', 'UPLOADING'), rec('ERRORED', stopped), 'ERRORED', 'UPLOADING'],
      ['ERRORED is final', at('ERRORED', 'RECORDING'), rec('UPLOADED'), 'ERRORED', 'RECORDING'],
      ['UPLOADED is final', at('UPLOADED'), rec('ERRORED'), 'UPLOADED', null],
      [
        "another recording's failure is judged on its own",
        at('UPLOADING'),
        rec('ERRORED', { id: 'r2', invokedAt: new Date('2026-11-20T11:00:00Z') }),
        'ERRORED',
        'INVOKED',
      ],
    ];
    for (const [name, shown, incoming, status, failedAt] of table) {
      it(`${name}: ${status ?? 'nothing'}${failedAt ? ` at ${failedAt}` : ''}`, () => {
        const next = advance(shown, incoming);
        expect(next.recording?.status ?? null).to.equal(status);
        expect(next.failedAt).to.equal(failedAt);
      });
    }

    it("takes the source's failed step when it has one, unless its own is already known", () => {
      expect(advance(NOTHING_SHOWN, rec('ERRORED'), 'UPLOADING').failedAt).to.equal('UPLOADING');
      expect(advance(at('RECORDING'), rec('ERRORED'), 'UPLOADING').failedAt).to.equal('UPLOADING');
      expect(advance(at('ERRORED', 'RECORDING'), rec('ERRORED', stopped), 'UPLOADING').failedAt).to.equal('RECORDING');
    });

    it('returns what is shown, the same object, when nothing changes', () => {
      const shown = at('RECORDING');
      expect(advance(shown, rec('RECORDING'))).to.equal(shown);
      expect(advance(shown, rec('INVOKED'))).to.equal(shown);
    });
  });

  describe('stepStates', () => {
    const short = { complete: 'C', current: 'N', upcoming: '-', failed: 'X' } as const;
    const table: [RecordingStatus | null, string, string, number | null][] = [
      // status, failedAt, states, index of the aria-current step
      [null, 'INVOKED', '----', null],
      ['INVOKED', 'INVOKED', 'N---', 0],
      ['RECORDING', 'INVOKED', 'CN--', 1],
      ['PAUSED', 'INVOKED', 'CN--', 1],
      ['UPLOADING', 'INVOKED', 'CCN-', 2],
      ['UPLOADED', 'INVOKED', 'CCCC', 3],
      ['ERRORED', 'INVOKED', 'X---', 0],
      ['ERRORED', 'RECORDING', 'CX--', 1],
      ['ERRORED', 'UPLOADING', 'CCX-', 2],
    ];
    for (const [status, failedAt, states, current] of table) {
      it(`${status ?? 'unknown'}${status === 'ERRORED' ? ` at ${failedAt}` : ''} → ${states}`, () => {
        const views = stepStates(status, failedAt as (typeof STEPS)[number]);
        expect(views.map((v) => v.step)).to.deep.equal([...STEPS]);
        expect(views.map((v) => short[v.state]).join('')).to.equal(states);
        const currents = views.flatMap((v, i) => (v.current ? [i] : []));
        expect(currents).to.deep.equal(current === null ? [] : [current]);
      });
    }
  });
});
