// @ts-check
/**
 * The baseline of bench/fast-paths.mjs: a bare `node:http` server doing the work `recording-status/server`
 * does on its fast paths, written plainly and with no framework: the HS256 viewer token checked on every
 * request (node:crypto HMAC, the same claims hono/jwt checks), the RSA webhook signature verified over the raw
 * bytes with a key imported once, a snapshot answered as bytes serialised once per version with its ETag,
 * and each change serialised once into one SSE frame written to every viewer, with one keepalive tick for all.
 * It has no upstream: the bench seeds it with the snapshots the real server answers, byte for byte.
 */
import { createHash, createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import { createServer } from 'node:http';

const AUDIENCE = 'recording-status';
const MAX_WEBHOOK_BYTES = 64 * 1024;
const MAX_DELIVERIES = 10_000;
const MAX_BEHIND_BYTES = 64 * 1024;
const KEEPALIVE_MS = 15_000;
const RETRY_MS = 3000;
const STATUSES = new Set(['INVOKED', 'RECORDING', 'PAUSED', 'UPLOADING', 'UPLOADED', 'ERRORED']);
const TERMINAL = new Set(['UPLOADED', 'ERRORED']);
const KEEPALIVE = Buffer.from(': keepalive\n\n');

/** @typedef {Record<string, unknown> & { id: string, status: string }} Recording */
/**
 * One recording's snapshot: its answer bytes per download right, built once per version.
 * @typedef {{ recording: Recording, seq: number, answers: (Answer | undefined)[], frames: (Buffer | undefined)[], viewers: Set<import('node:http').ServerResponse> }} Entry
 * @typedef {{ body: Buffer, etag: string }} Answer
 */

/** What a viewer without the download right sees. @param {Recording} r @param {boolean} download */
const present = (r, download) => (download ? r : { ...r, download_url: null, audio_download_url: null });

/** An error, in RealtimeKit's envelope. @param {import('node:http').ServerResponse} res @param {number} status @param {string} message */
function fail(res, status, message) {
  const body = JSON.stringify({ success: false, error: { code: status, message } });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'private, no-store' }).end(body);
}

/**
 * @param {{ secret: string, publicKeyPem: string, headers?: [string, string][] }} options `headers` are sent
 *   with every answer (the bench passes the real server's security headers, so both write the same bytes)
 */
export function createBareServer(options) {
  const secret = Buffer.from(options.secret);
  const publicKey = createPublicKey(options.publicKeyPem);
  const staticHeaders = options.headers ?? [];
  /** @type {Map<string, Entry>} */
  const entries = new Map();
  /** @type {Set<string>} */
  const deliveries = new Set();
  const stats = { viewers: 0, webhooks: { accepted: 0, duplicates: 0, ignored: 0, badSignature: 0, malformed: 0 } };

  /** The grant of a valid HS256 token for this audience, or null. @param {string | undefined} header */
  const grant = (header) => {
    if (header === undefined || !/^Bearer\s/i.test(header)) return null;
    const token = header.slice(7).trim();
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [head = '', body = '', signature = ''] = parts;
    const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    /** @type {any} */
    let claims;
    try {
      if (JSON.parse(Buffer.from(head, 'base64url').toString()).alg !== 'HS256') return null;
      claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    } catch {
      return null;
    }
    const now = Math.floor(Date.now() / 1000);
    if (claims.aud !== AUDIENCE || typeof claims.exp !== 'number' || claims.exp <= now) return null;
    if ((typeof claims.nbf === 'number' && claims.nbf > now) || (typeof claims.iat === 'number' && claims.iat > now))
      return null;
    if (typeof claims.rid !== 'string' || claims.rid === '') return null;
    return { recordingId: /** @type {string} */ (claims.rid), download: claims.dl === true };
  };

  /** @param {Entry} entry @param {boolean} download */
  const answer = (entry, download) => {
    const i = download ? 1 : 0;
    let cached = entry.answers[i];
    if (cached === undefined) {
      const body = Buffer.from(JSON.stringify({ success: true, data: present(entry.recording, download) }));
      cached = { body, etag: `"${createHash('sha1').update(body).digest('hex')}"` };
      entry.answers[i] = cached;
    }
    return cached;
  };

  /** The event's frame; a viewer's first one also says when to reconnect. @param {Entry} entry @param {boolean} download */
  const frame = (entry, download, first = false) => {
    const i = (download ? 1 : 0) + (first ? 2 : 0);
    let cached = entry.frames[i];
    if (cached === undefined) {
      const data = JSON.stringify(present(entry.recording, download));
      cached = Buffer.from(
        `${first ? `retry: ${RETRY_MS}\n` : ''}event: recording\nid: ${entry.seq}\ndata: ${data}\n\n`,
      );
      entry.frames[i] = cached;
    }
    return cached;
  };

  /** Seeds a snapshot, as the real server holds it after one upstream read. @param {Recording} recording @param {number} seq */
  const seed = (recording, seq) => {
    entries.set(recording.id, { recording, seq, answers: [], frames: [], viewers: new Set() });
  };

  /** A verified delivery applied: a new version, written once to every viewer. @param {any} payload */
  const apply = (payload) => {
    const r = payload?.recording;
    const id = r?.id ?? r?.recordingId;
    if (typeof id !== 'string' || id === '' || !STATUSES.has(r.status)) return false;
    const entry = entries.get(id);
    const fields = {
      status: r.status,
      ...(r.downloadUrl === undefined ? {} : { download_url: r.downloadUrl }),
      ...(r.downloadUrlExpiry === undefined ? {} : { download_url_expiry: r.downloadUrlExpiry }),
      ...(r.startedTime === undefined ? {} : { started_time: r.startedTime }),
      ...(r.stoppedTime === undefined ? {} : { stopped_time: r.stoppedTime }),
      ...(r.fileSize == null ? {} : { file_size: Number(r.fileSize) }),
      ...(r.recordingDuration == null ? {} : { recording_duration: Number(r.recordingDuration) }),
    };
    if (entry === undefined) {
      seed({ id, ...fields }, 1);
      return true;
    }
    if (TERMINAL.has(entry.recording.status)) return true;
    const next = { ...entry.recording, ...fields };
    if (JSON.stringify(next) === JSON.stringify(entry.recording)) return true;
    entry.recording = next;
    entry.seq++;
    entry.answers = [];
    entry.frames = [];
    const end = TERMINAL.has(next.status);
    for (const res of entry.viewers) {
      // Too far behind: dropped rather than buffered without bound.
      if (res.writableLength > MAX_BEHIND_BYTES) res.destroy();
      // The bench's viewers have no download right; a real one would pick the frame by the viewer's grant.
      else if (end) res.end(frame(entry, false));
      else res.write(frame(entry, false));
    }
    if (end) entry.viewers.clear();
    return true;
  };

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  const webhook = (req, res) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_WEBHOOK_BYTES) {
      fail(res, 413, 'The webhook body is too large.');
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > MAX_WEBHOOK_BYTES) {
        fail(res, 413, 'The webhook body is too large.');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const body = chunks.length === 1 ? /** @type {Buffer} */ (chunks[0]) : Buffer.concat(chunks);
      const signature = req.headers['rtk-signature'];
      // Verify before anything is parsed.
      if (typeof signature !== 'string' || !verify('sha256', body, publicKey, Buffer.from(signature, 'base64'))) {
        stats.webhooks.badSignature++;
        fail(res, 401, 'The webhook signature is missing or does not verify.');
        return;
      }
      /** @type {any} */
      let payload;
      try {
        payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
      } catch {
        stats.webhooks.malformed++;
        fail(res, 400, 'The webhook payload is malformed.');
        return;
      }
      if (payload?.event !== 'recording.statusUpdate') {
        stats.webhooks.ignored++;
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"success":true,"ignored":true}');
        return;
      }
      // As the real server: a delivery is a duplicate by its uuid or by the digest of its exact bytes.
      const uuid = req.headers['rtk-uuid'];
      const keys = [`sha256:${createHash('sha256').update(body).digest('base64url')}`];
      if (typeof uuid === 'string') keys.push(`uuid:${uuid}`);
      const seen = keys.map((key) => deliveries.has(key));
      for (const key of keys) {
        deliveries.add(key);
        if (deliveries.size > MAX_DELIVERIES)
          deliveries.delete(/** @type {string} */ (deliveries.values().next().value));
      }
      if (seen.includes(true)) {
        stats.webhooks.duplicates++;
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"success":true,"duplicate":true}');
        return;
      }
      if (!apply(payload)) {
        stats.webhooks.malformed++;
        fail(res, 400, 'The webhook payload is malformed.');
        return;
      }
      stats.webhooks.accepted++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"success":true}');
    });
  };

  /** @param {import('node:http').ServerResponse} res @param {Entry} entry */
  const follow = (res, entry) => {
    res.writeHead(200, [
      ...staticHeaders,
      ['Content-Type', 'text/event-stream; charset=utf-8'],
      ['Cache-Control', 'private, no-store'],
      ['X-Accel-Buffering', 'no'],
    ]);
    if (TERMINAL.has(entry.recording.status)) {
      res.end(frame(entry, false, true));
      return;
    }
    res.write(frame(entry, false, true));
    entry.viewers.add(res);
    stats.viewers++;
    res.once('close', () => {
      if (entry.viewers.delete(res)) stats.viewers--;
    });
  };

  const http = createServer((req, res) => {
    const url = req.url ?? '/';
    if (req.method === 'POST' && url === '/webhook') {
      webhook(req, res);
      return;
    }
    const read = /^\/recordings\/([^/?]+)$/.exec(url);
    const events = /^\/events\?recording_id=([^&]+)$/.exec(url);
    const id = read?.[1] ?? events?.[1];
    if (req.method !== 'GET' || id === undefined) {
      fail(res, 404, 'No such route.');
      return;
    }
    const g = grant(req.headers.authorization);
    if (g === null) {
      fail(res, 401, 'A valid viewer token is required.');
      return;
    }
    if (g.recordingId !== decodeURIComponent(id)) {
      fail(res, 403, 'This viewer token does not cover that recording.');
      return;
    }
    const entry = entries.get(g.recordingId);
    if (entry === undefined) {
      fail(res, 404, 'RealtimeKit has no such recording.');
      return;
    }
    if (events) {
      follow(res, entry);
      return;
    }
    const { body, etag } = answer(entry, g.download);
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, [...staticHeaders, ['ETag', etag]]).end();
      return;
    }
    res
      .writeHead(200, [
        ...staticHeaders,
        ['Content-Type', 'application/json'],
        ['Cache-Control', 'private, no-store'],
        ['ETag', etag],
        ['Content-Length', String(body.length)],
      ])
      .end(body);
  });

  // One tick for every viewer; a viewer too far behind is dropped rather than buffered without bound.
  const keepalive = setInterval(() => {
    for (const entry of entries.values()) {
      for (const res of entry.viewers) {
        if (res.writableLength > MAX_BEHIND_BYTES) res.destroy();
        else res.write(KEEPALIVE);
      }
    }
  }, KEEPALIVE_MS);
  keepalive.unref();
  http.on('close', () => {
    clearInterval(keepalive);
  });

  return { http, seed, stats: () => ({ viewers: stats.viewers, webhooks: { ...stats.webhooks } }) };
}
