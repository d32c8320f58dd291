/**
 * Talks to the host's proxy: builds the three RealtimeKit paths under `proxy-url`, sends the bearer token and
 * `If-None-Match`, and turns every HTTP outcome into either a validated answer or a classified failure.
 */
import type { Recording } from '../lifecycle.js';
import type { Clock, FetchLike } from '../platform.js';
import { RequestFailure, httpUrl } from './errors.js';
import { getWithDeadline, parseJson } from './request.js';
import { newest, newestInMeetingQuery, parseRetryAfter, targetParameter, type Target } from './rest.js';
import { describeIssues, errorEnvelope, normalise, oneRecordingAnswer, recordingListAnswer } from './schema.js';

export { parseRetryAfter, type Target } from './rest.js';

export type Answer =
  | { readonly kind: 'fresh'; readonly recording: Recording | null; readonly etag: string | null }
  | { readonly kind: 'unchanged' };

export interface GetOptions {
  readonly token: string | null;
  readonly etag: string | null;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

const MESSAGE_LIMIT = 300;

/** `proxy-url` resolved against the page; only http(s). */
export function resolveProxyUrl(proxyUrl: string, baseUrl: string): URL {
  return httpUrl(proxyUrl, baseUrl, 'proxy-url');
}

/** The proxy path that answers for a target, mirroring RealtimeKit's REST paths. */
export function targetUrl(proxy: URL, target: Target): string {
  const url = new URL(proxy.href);
  const base = url.pathname.replace(/\/+$/, '');
  if (target.kind === 'recording') {
    url.pathname = `${base}/recordings/${encodeURIComponent(target.id)}`;
  } else {
    url.pathname = `${base}/recordings`;
    for (const [name, value] of Object.entries(newestInMeetingQuery(target.id))) url.searchParams.set(name, value);
  }
  return url.href;
}

/** The proxy's Server-Sent Events path for a target: `{proxy-url}/events?recording_id=…` (or `meeting_id`). */
export function eventsUrl(proxy: URL, target: Target): string {
  const url = new URL(proxy.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/events`;
  url.searchParams.set(...targetParameter(target));
  return url.href;
}

function envelopeMessage(body: string): string | undefined {
  const parsed = errorEnvelope.safeParse(parseJson(body));
  return parsed.success ? parsed.data.error.message.slice(0, MESSAGE_LIMIT) : undefined;
}

/** An HTTP failure classified by its status; `body` may hold the error envelope to quote. */
export function failureFor(response: Response, body: string, now: number): RequestFailure {
  const status = response.status;
  const detail = envelopeMessage(body);
  const said = detail ? `: ${detail}` : '.';
  const init = { httpStatus: status };
  switch (true) {
    case status === 401:
      return new RequestFailure('unauthorized', `The proxy refused the credentials (401)${said}`, init);
    case status === 403:
      return new RequestFailure('forbidden', `The proxy does not allow access to this recording (403)${said}`, init);
    case status === 404:
      return new RequestFailure('not-found', `The proxy has no such recording (404)${said}`, init);
    case status === 429: {
      const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), now);
      return new RequestFailure('rate-limited', `The proxy is rate limiting requests (429)${said}`, {
        ...init,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    default: {
      const retryAfterMs = status === 503 ? parseRetryAfter(response.headers.get('Retry-After'), now) : undefined;
      return new RequestFailure('http', `The proxy answered HTTP ${status}${said}`, {
        ...init,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
  }
}

export class ProxyClient {
  readonly #fetch: FetchLike;
  readonly #clock: Clock;

  constructor(fetch: FetchLike, clock: Clock) {
    this.#fetch = fetch;
    this.#clock = clock;
  }

  async get(url: string, target: Target, options: GetOptions): Promise<Answer> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.token !== null) headers.Authorization = `Bearer ${options.token}`;
    if (options.etag !== null) headers['If-None-Match'] = options.etag;

    const { response, body } = await getWithDeadline(this.#fetch, this.#clock, url, {
      headers,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      label: 'proxy',
    });
    if (response.status === 304) return { kind: 'unchanged' };
    if (!response.ok) throw failureFor(response, body, this.#clock.now());

    const json = parseJson(body);
    if (json === undefined) {
      throw new RequestFailure('invalid-response', 'The proxy answered with something that is not JSON.', {
        httpStatus: response.status,
      });
    }
    const etag = response.headers.get('ETag');
    const failed = envelopeMessage(body);
    if (failed !== undefined) {
      throw new RequestFailure('invalid-response', `The proxy reported a failure: ${failed}`, {
        httpStatus: response.status,
      });
    }
    if (target.kind === 'recording')
      return { kind: 'fresh', recording: checkedOne(json, target, response.status), etag };
    const parsed = recordingListAnswer.safeParse(json);
    if (!parsed.success) throw invalid(parsed.error, response.status);
    // The proxy is asked for the newest first, but a proxy that ignores sort order must not fool us.
    const best = newest(parsed.data.data);
    return { kind: 'fresh', recording: best === null ? null : normalise(best), etag };
  }
}

function invalid(error: Parameters<typeof describeIssues>[0], httpStatus: number): RequestFailure {
  return new RequestFailure(
    'invalid-response',
    `The proxy's answer has an unexpected shape (${describeIssues(error)}).`,
    {
      httpStatus,
    },
  );
}

/** One recording's answer, validated; for a recording target, it must be about that recording. */
function checkedOne(json: unknown, target: Target, httpStatus: number): Recording {
  const parsed = oneRecordingAnswer.safeParse(json);
  if (!parsed.success) throw invalid(parsed.error, httpStatus);
  // A misrouted or cached answer about another recording must never be shown as this one.
  if (target.kind === 'recording' && parsed.data.data.id !== target.id) {
    throw new RequestFailure('invalid-response', 'The proxy answered about a different recording.', { httpStatus });
  }
  return normalise(parsed.data.data);
}

/**
 * The data of a pushed `recording` event: the REST `Recording` shape or `null` (a meeting with no recording
 * yet), held to the same checks as a polled answer.
 */
export function pushedRecording(data: string, target: Target): Recording | null {
  const json = parseJson(data);
  return json === null ? null : checkedOne({ success: true, data: json }, target, 200);
}
