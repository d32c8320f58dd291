// @ts-check
/** Bytes once per snapshot version and right: the SSE frame, a read's body and its ETag, shared by all who may see them. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { etagMatches, eventFrame, forViewer, readBody } from '../../dist/server/encoded.js';

const text = (/** @type {Uint8Array} */ bytes) => new TextDecoder().decode(bytes);
/** @returns {any} */
const rec = (status = 'UPLOADED') => ({
  id: 'r1',
  status,
  download_url: 'https://files.example/r1.mp4',
  audio_download_url: 'https://files.example/r1.m4a',
});

describe('server/encoded', () => {
  it('an event frame is computed once per version and right, and is the same bytes for every viewer', () => {
    const r = rec();
    const full = eventFrame({ seq: 7, recording: r }, true);
    assert.equal(eventFrame({ seq: 7, recording: r }, true), full);
    assert.equal(text(full), `event: recording\nid: 7\ndata: ${JSON.stringify(r)}\n\n`);
    const stripped = eventFrame({ seq: 7, recording: r }, false);
    assert.equal(eventFrame({ seq: 7, recording: r }, false), stripped);
    const data = JSON.parse(text(stripped).split('data: ')[1] ?? '');
    assert.deepEqual([data.download_url, data.audio_download_url, data.status], [null, null, 'UPLOADED']);
    // The snapshot's own recording is never changed by stripping.
    assert.equal(r.download_url, 'https://files.example/r1.mp4');
    // The same recording at another seq (a meeting's snapshot holds it too) carries that seq.
    assert.match(text(eventFrame({ seq: 9, recording: r }, true)), /^event: recording\nid: 9\n/);
    assert.equal(text(eventFrame({ seq: 3, recording: null }, false)), 'event: recording\nid: 3\ndata: null\n\n');
  });

  it('a read body and its ETag are computed once per version, right and shape; another right is another ETag', async () => {
    const r = rec();
    const one = await readBody('one', r, true);
    assert.equal(await readBody('one', r, true), one);
    assert.deepEqual(JSON.parse(text(one.bytes)), { success: true, data: r });
    assert.match(one.etag, /^"[\w-]{43}"$/);
    const stripped = await readBody('one', r, false);
    assert.notEqual(stripped.etag, one.etag);
    assert.equal(JSON.parse(text(stripped.bytes)).data.download_url, null);
    const list = await readBody('list', r, true);
    assert.deepEqual(JSON.parse(text(list.bytes)).paging, { total_count: 1, start_offset: 1, end_offset: 1 });
    const empty = await readBody('list', null, true);
    assert.deepEqual(JSON.parse(text(empty.bytes)), {
      success: true,
      data: [],
      paging: { total_count: 0, start_offset: 0, end_offset: 0 },
    });
    // The same content in another object (a fresh answer, not kept) has the same ETag: it is of the bytes.
    assert.equal((await readBody('one', rec(), true, false)).etag, one.etag);
    assert.notEqual((await readBody('one', rec('ERRORED'), true)).etag, one.etag);
    assert.equal(forViewer(r, false)?.download_url, null);
    assert.equal(forViewer(r, true), r);
  });

  it('If-None-Match matches the ETag among others, weak or strong, or *; nothing else does', () => {
    const etag = '"abc"';
    /** @type {[string | undefined, boolean][]} */
    const table = [
      [undefined, false],
      ['"abc"', true],
      ['W/"abc"', true],
      ['"x", "abc"', true],
      ['*', true],
      ['"abcd"', false],
      ['abc', false],
      ['', false],
    ];
    for (const [header, expected] of table) assert.equal(etagMatches(etag, header), expected, String(header));
  });
});
