// @ts-check
/**
 * A fake RealtimeKit recordings API behind a fake host proxy, as plain request → response logic with an
 * injected clock: the demo serves it through Vite, the tests through web-test-runner, the benchmark through
 * a fake clock. It follows ../../../shared/realtimekit/ for every shape.
 *
 * Statuses advance lazily: each recording holds its next scheduled transition, applied when anything reads
 * it after that time. So the simulator owns no timers and runs as fast as its clock.
 */

/** @typedef {'INVOKED'|'RECORDING'|'PAUSED'|'UPLOADING'|'UPLOADED'|'ERRORED'} Status */
/**
 * @typedef {object} SimRecording
 * @property {string} id
 * @property {string} meetingId
 * @property {Status} status
 * @property {number} invokedAt
 * @property {number | null} startedAt
 * @property {number | null} stoppedAt
 * @property {number} recordedMs time spent RECORDING, for duration and file size
 * @property {number | null} lastResumedAt
 * @property {{ status: Status, at: number } | null} next
 * @property {string} fileName
 * @property {string | null} stopReason
 * @property {boolean} failedUploading
 */
/** @typedef {{ id: string, title: string, createdAt: number }} SimMeeting */
/** @typedef {{ method: string, path: string, query: URLSearchParams, headers: Record<string, string | undefined>, body?: unknown }} SimRequest */
/** @typedef {{ status: number, headers: Record<string, string>, body: string }} SimResponse */
/** @typedef {'none' | 'outage' | 'rate-limit' | 'garbage' | 'hang'} Fault */

const BYTES_PER_SECOND = 312_500; // about 2.5 Mbit/s, a typical 720p composite recording

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();

/** FNV-1a, enough for an ETag. @param {string} text */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}

const ID_BITS = 48n;

/**
 * The nth uuid-shaped id of a run: one seed gives the same ids every time, another seed others (a different
 * stretch of the same sequence: two runs' first few thousand ids meet only by a 48-bit chance).
 * @param {number} seed @param {number} n
 */
function uuid(seed, n) {
  const mixed = (BigInt(n) * 2654435761n + 0x1000000n + BigInt(seed)) % (1n << ID_BITS);
  const hex = mixed.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(0, 3)}-a${hex.slice(3, 6)}-${hex}`;
}

/** A seed for ids no earlier run made: what a fresh start gets. */
const freshIdSeed = () => Math.floor(Math.random() * 2 ** Number(ID_BITS));

export class RealtimeKitSimulator {
  /**
   * @param {object} [options]
   * @param {() => number} [options.now]
   * @param {number} [options.startDelayMs] INVOKED → RECORDING
   * @param {number} [options.uploadMs] UPLOADING → UPLOADED
   * @param {number} [options.tokenTtlSeconds]
   * @param {boolean} [options.requireToken] whether proxy paths need a bearer token from the token endpoint
   * @param {boolean} [options.seed] create the demo's meetings and recordings
   * @param {number} [options.idSeed] a whole number below 2⁴⁸: the same ids at every start. Without it every
   *   start makes ids of its own, so a server's stored state (wrangler dev's .wrangler/state) from an earlier run
   *   never answers for a recording of this one
   * @param {string} [options.downloadBase]
   * @param {boolean} [options.etag] whether answers carry an ETag (the benchmark compares both)
   * @param {string} [options.apiToken] the API token upstream paths require (handleUpstream)
   * @param {(recording: SimRecording) => void} [options.onTransition] called on every status transition, as
   *   RealtimeKit sends its webhook; scheduled transitions happen when something reads or calls tick()
   */
  constructor(options = {}) {
    this.now = options.now ?? (() => Date.now());
    this.startDelayMs = options.startDelayMs ?? 3000;
    this.uploadMs = options.uploadMs ?? 8000;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 60;
    this.requireToken = options.requireToken ?? true;
    /** Where download links point; the HTTP adapter sets it from the request's own origin. */
    this.downloadBase = options.downloadBase ?? 'http://localhost/downloads';
    this.etag = options.etag ?? true;
    this.apiToken = options.apiToken ?? 'sim-api-token';
    this.onTransition = options.onTransition ?? null;
    /** @type {Map<string, SimMeeting>} */
    this.meetings = new Map();
    /** @type {Map<string, SimRecording>} */
    this.recordings = new Map();
    /** @type {Map<string, { expiresAt: number, scope: string }>} */
    this.tokens = new Map();
    /** @type {Fault} */
    this.fault = 'none';
    this.counter = 0;
    const idSeed = options.idSeed ?? freshIdSeed();
    if (!Number.isSafeInteger(idSeed) || idSeed < 0 || idSeed >= 2 ** Number(ID_BITS)) {
      throw new RangeError('idSeed must be a whole number from 0 to 2^48 - 1.');
    }
    this.idSeed = idSeed;
    /** Requests served on proxy paths, by outcome: what the benchmark counts. */
    this.stats = { proxyRequests: 0, notModified: 0, bytes: 0, tokenRequests: 0, upstreamRequests: 0 };
    if (options.seed ?? false) this.seed();
  }

  /** Two meetings: one with a history of recordings (one failed), one quiet. */
  seed() {
    const now = this.now();
    const weekly = this.addMeeting('Weekly sync');
    this.addMeeting('Design review');
    const old = this.startRecording(weekly.id, now - 3 * 3600_000);
    this.#transition(old, 'RECORDING', now - 3 * 3600_000 + 4000);
    this.#transition(old, 'UPLOADING', now - 2.5 * 3600_000);
    this.#transition(old, 'UPLOADED', now - 2.5 * 3600_000 + 9000);
    const failed = this.startRecording(weekly.id, now - 3600_000);
    this.#transition(failed, 'RECORDING', now - 3600_000 + 3000);
    this.#transition(failed, 'ERRORED', now - 3600_000 + 3000 + 90_000);
    failed.stopReason = 'INTERNAL_ERROR';
  }

  /** @param {string} title */
  addMeeting(title) {
    const meeting = { id: uuid(this.idSeed, ++this.counter), title, createdAt: this.now() };
    this.meetings.set(meeting.id, meeting);
    return meeting;
  }

  /** @param {string} meetingId @param {number} [at] */
  startRecording(meetingId, at = this.now()) {
    const meeting = this.meetings.get(meetingId);
    if (!meeting) throw new Error(`no meeting ${meetingId}`);
    /** @type {SimRecording} */
    const recording = {
      id: uuid(this.idSeed, ++this.counter),
      meetingId,
      status: 'INVOKED',
      invokedAt: at,
      startedAt: null,
      stoppedAt: null,
      recordedMs: 0,
      lastResumedAt: null,
      next: { status: 'RECORDING', at: at + this.startDelayMs },
      fileName: `${meeting.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${this.counter}.mp4`,
      stopReason: null,
      failedUploading: false,
    };
    this.recordings.set(recording.id, recording);
    // INVOKED is a transition too: RealtimeKit's webhook announces it.
    this.onTransition?.(recording);
    return recording;
  }

  /** Applies a transition at a given time, keeping the bookkeeping of times and durations. */
  #transition(/** @type {SimRecording} */ r, /** @type {Status} */ status, at = this.now()) {
    if (r.status === 'RECORDING' && r.lastResumedAt !== null) r.recordedMs += at - r.lastResumedAt;
    if (status === 'RECORDING') {
      r.startedAt ??= at;
      r.lastResumedAt = at;
    } else {
      r.lastResumedAt = null;
    }
    if (status === 'UPLOADING' || (status === 'ERRORED' && r.startedAt !== null)) r.stoppedAt ??= at;
    if (status === 'ERRORED' && r.status === 'UPLOADING') r.failedUploading = true;
    r.status = status;
    r.next = status === 'UPLOADING' ? { status: 'UPLOADED', at: at + this.uploadMs } : null;
    this.onTransition?.(r);
  }

  /** Applies every transition that has fallen due: what a driver with a timer calls, so webhooks go out on time. */
  tick() {
    for (const r of this.recordings.values()) this.#advance(r);
  }

  /**
   * The `recording.statusUpdate` webhook body for a recording, in RealtimeKit's camelCase shape.
   * @param {SimRecording} r
   */
  webhookPayload(r) {
    const api = this.toApi(r, false);
    const meeting = this.meetings.get(r.meetingId);
    return {
      event: 'recording.statusUpdate',
      recording: {
        id: r.id,
        recordingId: r.id,
        status: r.status,
        downloadUrl: api['download_url'],
        audioDownloadUrl: null,
        downloadUrlExpiry: api['download_url_expiry'],
        startedTime: api['started_time'],
        stoppedTime: api['stopped_time'],
        // As seen from RealtimeKit: a numeric string.
        fileSize: api['file_size'] === null ? null : String(api['file_size']),
        outputFileName: r.fileName,
        meetingId: r.meetingId,
        recordingDuration: api['recording_duration'],
        organizationId: 'sim-organization',
        roomUUID: `session-${r.meetingId.slice(0, 8)}`,
      },
      meeting: meeting
        ? { id: meeting.id, sessionId: `session-${r.meetingId.slice(0, 8)}`, title: meeting.title, status: 'LIVE' }
        : null,
    };
  }

  /** @param {SimRecording} r */
  #advance(r) {
    while (r.next && r.next.at <= this.now()) this.#transition(r, r.next.status, r.next.at);
  }

  /**
   * The demo's controls. Returns an error message when the action does not fit the status.
   * @param {string} id @param {'pause' | 'resume' | 'stop' | 'fail'} action
   */
  control(id, action) {
    const r = this.recordings.get(id);
    if (!r) return `no recording ${id}`;
    this.#advance(r);
    const allowed = {
      pause: ['RECORDING'],
      resume: ['PAUSED'],
      stop: ['RECORDING', 'PAUSED', 'INVOKED'],
      fail: ['INVOKED', 'RECORDING', 'PAUSED', 'UPLOADING'],
    }[action];
    if (!allowed.includes(r.status)) return `cannot ${action} a recording that is ${r.status}`;
    if (action === 'pause') this.#transition(r, 'PAUSED');
    if (action === 'resume') this.#transition(r, 'RECORDING');
    if (action === 'stop') {
      r.stopReason = 'API_CALL';
      this.#transition(r, r.status === 'INVOKED' ? 'ERRORED' : 'UPLOADING');
    }
    if (action === 'fail') {
      r.stopReason = 'INTERNAL_ERROR';
      this.#transition(r, 'ERRORED');
    }
    return null;
  }

  /** The API's snake_case shape. @param {SimRecording} r @param {boolean} withMeeting */
  toApi(r, withMeeting) {
    this.#advance(r);
    const now = this.now();
    const recordedMs =
      r.recordedMs + (r.status === 'RECORDING' && r.lastResumedAt !== null ? now - r.lastResumedAt : 0);
    const done = r.status === 'UPLOADED';
    const meeting = this.meetings.get(r.meetingId);
    /** @type {Record<string, unknown>} */
    const api = {
      id: r.id,
      status: r.status,
      session_id: `session-${r.meetingId.slice(0, 8)}`,
      invoked_time: iso(r.invokedAt),
      started_time: r.startedAt === null ? null : iso(r.startedAt),
      stopped_time: r.stoppedAt === null ? null : iso(r.stoppedAt),
      download_url: done ? `${this.downloadBase}/${r.id}.mp4?sig=${hash(r.id)}` : null,
      download_url_expiry: done && r.next === null ? iso((r.stoppedAt ?? now) + this.uploadMs + 7 * 86_400_000) : null,
      audio_download_url: null,
      file_size:
        r.status === 'UPLOADED' || r.status === 'UPLOADING' || r.failedUploading
          ? Math.round((recordedMs / 1000) * BYTES_PER_SECOND)
          : null,
      output_file_name: r.fileName,
      // As in RealtimeKit's samples: 0 while recording, the real figure once stopped.
      recording_duration: r.stoppedAt === null ? 0 : Math.floor(recordedMs / 1000),
      start_reason: { reason: 'API_CALL', caller: { name: 'demo', type: 'ORGANIZATION' } },
      ...(r.stopReason ? { stop_reason: { reason: r.stopReason } } : {}),
      // What a real proxy must strip; present here so the demo proves the widget ignores it.
      storage_config: null,
    };
    if (withMeeting && meeting) {
      api['meeting'] = {
        id: meeting.id,
        title: meeting.title,
        status: 'ACTIVE',
        created_at: iso(meeting.createdAt),
        updated_at: iso(meeting.createdAt),
        record_on_start: false,
      };
    }
    return api;
  }

  /** Everything, for the demo's control panel. */
  snapshot() {
    return {
      meetings: [...this.meetings.values()].map((m) => ({
        id: m.id,
        title: m.title,
        recordings: [...this.recordings.values()]
          .filter((r) => r.meetingId === m.id)
          .sort((a, b) => b.invokedAt - a.invokedAt)
          .map((r) => this.toApi(r, false)),
      })),
      fault: this.fault,
    };
  }

  /**
   * Issues a short-lived token scoped to one recording or meeting, as a host's token endpoint would after
   * checking its own session.
   * @param {URLSearchParams} query
   * @returns {SimResponse}
   */
  issueToken(query) {
    this.stats.tokenRequests++;
    const scope = query.get('recording_id') ?? query.get('meeting_id');
    if (!scope) return json(400, { error: 'recording_id or meeting_id is required' });
    const token = `sim_${hash(`${scope}:${this.now()}:${++this.counter}`)}${hash(String(this.counter * 7919))}`;
    this.tokens.set(token, { expiresAt: this.now() + this.tokenTtlSeconds * 1000, scope });
    return json(200, { token, expires_in: this.tokenTtlSeconds });
  }

  /** @param {string | undefined} authorization @param {string[]} scopes */
  #authorised(authorization, scopes) {
    if (!this.requireToken) return true;
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    const grant = match ? this.tokens.get(match[1] ?? '') : undefined;
    return grant !== undefined && grant.expiresAt > this.now() && scopes.includes(grant.scope);
  }

  /**
   * The proxy paths, mirroring RealtimeKit's REST reads.
   * @param {SimRequest} req
   * @returns {SimResponse | 'hang'}
   */
  handleProxy(req) {
    this.stats.proxyRequests++;
    return this.#serveRead(req, (scopes) => this.#authorised(req.headers['authorization'], scopes), false);
  }

  /**
   * RealtimeKit's own REST reads, as a server calls them: `{path}` is what follows
   * `/accounts/{account_id}/realtime/kit/{app_id}`, and the API token is required. Answers carry what the real
   * API carries, `storage_config` included, which a proxy must strip.
   * @param {SimRequest} req
   * @returns {SimResponse | 'hang'}
   */
  handleUpstream(req) {
    this.stats.upstreamRequests++;
    const authorised = req.headers['authorization'] === `Bearer ${this.apiToken}`;
    return this.#serveRead(req, () => authorised, true);
  }

  /**
   * @param {SimRequest} req
   * @param {(scopes: string[]) => boolean} authorised
   * @param {boolean} upstream
   * @returns {SimResponse | 'hang'}
   */
  #serveRead(req, authorised, upstream) {
    if (this.fault === 'hang') return 'hang';
    if (this.fault === 'outage') return envelope(503, 'Service temporarily unavailable', {});
    if (this.fault === 'rate-limit') return envelope(429, 'Rate limit exceeded', { 'Retry-After': '30' });
    if (this.fault === 'garbage')
      return { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>oops</html>' };
    if (req.method !== 'GET') return envelope(405, 'Method not allowed', {});

    const path = req.path.replace(/\/+$/, '');
    let scopes;
    let produce;
    let m;
    if ((m = /^\/recordings\/active-recording\/([^/]+)$/.exec(path))) {
      const meetingId = decodeURIComponent(m[1] ?? '');
      scopes = [meetingId];
      produce = () => {
        const active = this.#newest(meetingId).find((r) => !['UPLOADED', 'ERRORED'].includes(r.status));
        return active
          ? json(200, { success: true, data: this.toApi(active, false) })
          : envelope(404, 'No active recording found for this meeting', {});
      };
    } else if ((m = /^\/recordings\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[1] ?? '');
      const r = this.recordings.get(id);
      scopes = r ? [id, r.meetingId] : [id];
      produce = () =>
        r
          ? json(200, {
              success: true,
              data: upstream ? { ...this.toApi(r, false), storage_config: SECRET_STORAGE } : this.toApi(r, false),
            })
          : envelope(404, 'Recording not found', {});
    } else if (path === '/recordings') {
      const meetingId = req.query.get('meeting_id') ?? '';
      scopes = [meetingId];
      produce = () => {
        const perPage = Math.max(1, Number(req.query.get('per_page') ?? 20) || 20);
        const all = meetingId
          ? this.#newest(meetingId)
          : [...this.recordings.values()].sort((a, b) => b.invokedAt - a.invokedAt);
        const ordered = req.query.get('sort_order') === 'ASC' ? [...all].reverse() : all;
        const page = ordered.slice(0, perPage);
        return json(200, {
          success: true,
          data: page.map((r) => this.toApi(r, true)),
          paging: { total_count: all.length, start_offset: page.length ? 1 : 0, end_offset: page.length },
        });
      };
    } else {
      return envelope(404, 'No such route', {});
    }
    if (!authorised(scopes)) return envelope(401, 'Unauthorized', {});
    const response = produce();
    if (response.status === 200 && this.etag) {
      const etag = `"${hash(response.body)}"`;
      response.headers['ETag'] = etag;
      if (req.headers['if-none-match'] === etag) {
        this.stats.notModified++;
        return { status: 304, headers: { ETag: etag }, body: '' };
      }
    }
    this.stats.bytes += response.body.length;
    return response;
  }

  /** @param {string} meetingId */
  #newest(meetingId) {
    return [...this.recordings.values()]
      .filter((r) => r.meetingId === meetingId)
      .sort((a, b) => b.invokedAt - a.invokedAt);
  }

  /**
   * The demo's control API: start, pause, resume, stop, fail, inject faults, read the state.
   * @param {SimRequest} req
   * @returns {SimResponse}
   */
  handleControl(req) {
    const path = req.path.replace(/\/+$/, '');
    if (req.method === 'GET' && path === '/state') return json(200, this.snapshot());
    if (req.method !== 'POST') return json(405, { error: 'POST only' });
    let m;
    if ((m = /^\/meetings\/([^/]+)\/recordings$/.exec(path))) {
      try {
        return json(201, this.toApi(this.startRecording(decodeURIComponent(m[1] ?? '')), false));
      } catch (error) {
        return json(404, { error: String(error instanceof Error ? error.message : error) });
      }
    }
    if ((m = /^\/recordings\/([^/]+)\/(pause|resume|stop|fail)$/.exec(path))) {
      const problem = this.control(decodeURIComponent(m[1] ?? ''), /** @type {'pause'} */ (m[2]));
      return problem ? json(409, { error: problem }) : json(200, { ok: true });
    }
    if ((m = /^\/fault\/(none|outage|rate-limit|garbage|hang)$/.exec(path))) {
      this.fault = /** @type {Fault} */ (m[1]);
      return json(200, { fault: this.fault });
    }
    return json(404, { error: 'No such control' });
  }
}

/** What a host's bucket settings look like in a real answer: credentials a proxy must never pass on. */
const SECRET_STORAGE = {
  type: 'aws',
  bucket: 'host-recordings',
  access_key: 'AKIA-SIMULATED',
  secret: 'sim-bucket-secret',
};

/** @param {number} status @param {unknown} body @returns {SimResponse} */
function json(status, body) {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** RealtimeKit's error envelope. @param {number} status @param {string} message @param {Record<string, string>} headers */
function envelope(status, message, headers) {
  const response = json(status, { success: false, error: { code: status, message } });
  Object.assign(response.headers, headers);
  return response;
}
