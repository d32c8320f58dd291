import { expect } from '@open-wc/testing';
import {
  normalise,
  oneRecordingAnswer,
  recordingListAnswer,
  tokenAnswer,
  errorEnvelope,
} from '../../src/api/schema.js';
import { listSample, noneSample as none, oneSample as one } from '../helpers/samples.js';

describe('api/schema', () => {
  it('accepts the documented one-recording answer and normalises it to camelCase', () => {
    const parsed = oneRecordingAnswer.safeParse(one);
    expect(parsed.success).to.equal(true);
    const r = normalise(parsed.data!.data);
    expect(r).to.deep.equal({
      id: '4c2f0a9e-7b1d-4e55-9a0c-2f6d3b8e1a47',
      status: 'UPLOADED',
      sessionId: 'b1e0c7d2-3a4f-4b6e-8c9d-0e1f2a3b4c5d',
      meetingId: null,
      meetingTitle: null,
      invokedAt: new Date('2026-11-20T09:00:01.250Z'),
      startedAt: new Date('2026-11-20T09:00:04.900Z'),
      stoppedAt: new Date('2026-11-20T09:31:12.003Z'),
      downloadUrl: 'https://storage.example.com/recordings/4c2f0a9e.mp4?sig=abc',
      downloadUrlExpiresAt: new Date('2026-11-27T09:31:12.003Z'),
      audioDownloadUrl: null,
      fileSize: 562954240,
      durationSeconds: 1867,
      outputFileName: 'weekly-sync.mp4',
    });
  });

  it('accepts the documented list answer and takes the meeting from it', () => {
    const parsed = recordingListAnswer.safeParse(listSample);
    expect(parsed.success).to.equal(true);
    const r = normalise(parsed.data!.data[0]!);
    expect(r.meetingId).to.equal('7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d');
    expect(r.meetingTitle).to.equal('Design review');
    expect(r.status).to.equal('RECORDING');
  });

  it('reads the documented error envelope', () => {
    const parsed = errorEnvelope.safeParse(none);
    expect(parsed.success && parsed.data.error.message).to.equal('No active recording found for this meeting');
  });

  it('drops unknown extra fields (the API grows) and never exposes storage_config', () => {
    const parsed = oneRecordingAnswer.safeParse({
      ...one,
      data: { ...one.data, brand_new_field: { x: 1 }, storage_config: { secret: 'keys' } },
    });
    expect(parsed.success).to.equal(true);
    const r = normalise(parsed.data!.data) as unknown as Record<string, unknown>;
    expect(Object.keys(r)).to.not.include('storage_config');
    expect(JSON.stringify(r)).to.not.include('keys');
  });

  it('accepts file_size as a numeric string, as webhooks send it', () => {
    const parsed = oneRecordingAnswer.safeParse({ ...one, data: { ...one.data, file_size: '562954240' } });
    expect(normalise(parsed.data!.data).fileSize).to.equal(562954240);
  });

  for (const [written, instant] of [
    ['2026-11-20t10:00:03z', '2026-11-20T10:00:03.000Z'],
    ['2026-11-20t10:00:03.250+01:00', '2026-11-20T09:00:03.250Z'],
    ['2026-11-20T10:00:03Z', '2026-11-20T10:00:03.000Z'],
  ]) {
    it(`reads ${written} (RFC 3339 allows a lowercase t and z) in every engine`, () => {
      const parsed = oneRecordingAnswer.safeParse({ ...one, data: { ...one.data, started_time: written } });
      expect(parsed.success).to.equal(true);
      expect(normalise(parsed.data!.data).startedAt!.toISOString()).to.equal(instant);
    });
  }

  it('accepts a sparse recording: every field but id and status may be missing or null', () => {
    const sparse = oneRecordingAnswer.safeParse({ success: true, data: { id: 'r', status: 'INVOKED' } });
    expect(sparse.success).to.equal(true);
    const nulls = Object.fromEntries(Object.keys(one.data).map((key) => [key, null]));
    const nulled = oneRecordingAnswer.safeParse({ success: true, data: { ...nulls, id: 'r', status: 'INVOKED' } });
    expect(nulled.success).to.equal(true);
    expect(normalise(nulled.data!.data)).to.deep.include({ meetingId: null, meetingTitle: null, fileSize: null });
  });

  const bad: [string, unknown][] = [
    ['an unknown status', { ...one, data: { ...one.data, status: 'STOPPED' } }],
    ['a lowercase status', { ...one, data: { ...one.data, status: 'recording' } }],
    ['a missing id', { ...one, data: { ...one.data, id: undefined } }],
    ['an empty id', { ...one, data: { ...one.data, id: '' } }],
    ['a numeric id', { ...one, data: { ...one.data, id: 7 } }],
    ['a date that is not a date', { ...one, data: { ...one.data, invoked_time: 'yesterday-ish' } }],
    ['a negative file size', { ...one, data: { ...one.data, file_size: -1 } }],
    ['a file size of words', { ...one, data: { ...one.data, file_size: 'big' } }],
    ['success: false', { ...one, success: false }],
    ['no envelope', one.data],
    ['an array', [one]],
    ['null', null],
    ['a string', '<img src=x onerror=alert(1)>'],
    ['a download URL that is an object', { ...one, data: { ...one.data, download_url: { href: 'x' } } }],
    ['a meeting title that is a number', { ...one, data: { ...one.data, meeting: { id: 'm', title: 7 } } }],
    ['a meeting that is a string', { ...one, data: { ...one.data, meeting: 'm' } }],
    ['a duration of words', { ...one, data: { ...one.data, recording_duration: 'long' } }],
    ['success: "true"', { ...one, success: 'true' }],
  ];
  for (const [name, payload] of bad) {
    it(`rejects ${name}`, () => expect(oneRecordingAnswer.safeParse(payload).success).to.equal(false));
  }

  it('rejects a list answer with one bad item', () => {
    const payload = { ...listSample, data: [...listSample.data, { id: 'x', status: 'NOPE' }] };
    expect(recordingListAnswer.safeParse(payload).success).to.equal(false);
  });

  const tokens: [string, unknown, boolean][] = [
    ['a token with expires_in', { token: 'abc', expires_in: 60 }, true],
    ['a token with expires_at', { token: 'abc', expires_at: '2026-11-20T10:00:00Z' }, true],
    ['a bare token', { token: 'abc' }, true],
    ['an empty token', { token: '' }, false],
    ['no token', { access_token: 'abc' }, false],
    ['a negative lifetime', { token: 'abc', expires_in: -5 }, false],
  ];
  for (const [name, payload, ok] of tokens) {
    it(`token answer: ${name} is ${ok ? 'accepted' : 'rejected'}`, () =>
      expect(tokenAnswer.safeParse(payload).success).to.equal(ok));
  }
});
