// @ts-check
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isoTimestamp, parseWebhook } from '../../../dist/server/webhook/payload.js';

const sample = readFileSync(new URL('../../fixtures/webhook-recording-status-update.json', import.meta.url), 'utf8');

describe('server/webhook/payload', () => {
  describe('isoTimestamp', () => {
    for (const [given, expected] of [
      ['2026-11-20T09:00:04.900Z', '2026-11-20T09:00:04.900Z'],
      ['2026-11-20 09:00:04.900123', '2026-11-20T09:00:04.900Z'],
      ['2026-11-20 09:00:04', '2026-11-20T09:00:04Z'],
      ['2026-11-20t09:00:04z', '2026-11-20T09:00:04Z'],
      ['2026-11-20 09:00:04.5+01:00', '2026-11-20T09:00:04.500+01:00'],
      ['yesterday', undefined],
      ['2026-13-40 99:00:00', undefined],
    ]) {
      it(`${given} → ${expected}`, () => assert.equal(isoTimestamp(/** @type {string} */ (given)), expected));
    }
  });

  describe('parseWebhook', () => {
    it('maps the documented payload onto the REST shape', () => {
      const parsed = parseWebhook(sample);
      assert.equal(parsed.kind, 'update');
      assert.deepEqual(parsed.kind === 'update' && parsed.update, {
        id: '4c2f0a9e-7b1d-4e55-9a0c-2f6d3b8e1a47',
        status: 'UPLOADED',
        meetingId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
        fields: {
          download_url: 'https://storage.example.com/recordings/4c2f0a9e.mp4?sig=abc',
          audio_download_url: null,
          output_file_name: 'weekly-sync.mp4',
          meeting_id: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
          session_id: 'b1e0c7d2-3a4f-4b6e-8c9d-0e1f2a3b4c5d',
          download_url_expiry: '2026-11-27T09:31:12.003Z',
          started_time: '2026-11-20T09:00:04.900Z',
          stopped_time: '2026-11-20T09:31:12.003Z',
          file_size: 562954240,
          recording_duration: 1867,
        },
      });
    });

    it('keeps a sparse payload sparse: absent fields are not set', () => {
      const parsed = parseWebhook(
        JSON.stringify({
          event: 'recording.statusUpdate',
          recording: {
            recordingId: 'r9',
            status: 'RECORDING',
            fileSize: 12,
            startedTime: '2026-11-20 09:00:04.900123',
          },
        }),
      );
      assert.deepEqual(parsed.kind === 'update' && parsed.update, {
        id: 'r9',
        status: 'RECORDING',
        meetingId: null,
        fields: { started_time: '2026-11-20T09:00:04.900Z', file_size: 12 },
      });
    });

    for (const [name, body, kind] of [
      ['another event', { event: 'meeting.started', meeting: {} }, 'ignored'],
      ['not JSON', '{"event":', 'malformed'],
      ['no recording', { event: 'recording.statusUpdate' }, 'malformed'],
      [
        'an unknown status',
        { event: 'recording.statusUpdate', recording: { id: 'r', status: 'STOPPED' } },
        'malformed',
      ],
      ['no id', { event: 'recording.statusUpdate', recording: { status: 'RECORDING' } }, 'malformed'],
      [
        'a bad time',
        { event: 'recording.statusUpdate', recording: { id: 'r', status: 'RECORDING', startedTime: 'soon' } },
        'malformed',
      ],
      [
        'a negative size',
        { event: 'recording.statusUpdate', recording: { id: 'r', status: 'UPLOADED', fileSize: -1 } },
        'malformed',
      ],
      [
        'a size of words',
        { event: 'recording.statusUpdate', recording: { id: 'r', status: 'UPLOADED', fileSize: 'big' } },
        'malformed',
      ],
      ['an array', [1, 2], 'malformed'],
      [
        'a recording id that is no id',
        { event: 'recording.statusUpdate', recording: { id: '../x', status: 'RECORDING' } },
        'ignored',
      ],
      [
        'a meeting id that is no id',
        { event: 'recording.statusUpdate', recording: { id: 'r', status: 'RECORDING' }, meeting: { id: 'a/b' } },
        'ignored',
      ],
    ]) {
      it(`${name} is ${kind}`, () => {
        assert.equal(parseWebhook(typeof body === 'string' ? body : JSON.stringify(body)).kind, kind);
      });
    }
  });
});
