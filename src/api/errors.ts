/** Every way a poll can fail, as reported in `recording-status-error`'s `detail.kind`. */
export const ERROR_KINDS = [
  'config',
  'network',
  'timeout',
  'http',
  'unauthorized',
  'forbidden',
  'not-found',
  'rate-limited',
  'invalid-response',
  'token',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** A failed request, classified. Messages are written for developers and never contain the token. */
export class RequestFailure extends Error {
  override readonly name = 'RequestFailure';
  readonly kind: ErrorKind;
  readonly httpStatus: number | undefined;
  /** From a `Retry-After` header, already capped. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: ErrorKind, message: string, init: { httpStatus?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.kind = kind;
    this.httpStatus = init.httpStatus;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * Resolves a URL attribute against the page and refuses anything but http(s), so a hostile value such as
 * `javascript:` can never become a request. `attribute` names it in the error.
 */
export function httpUrl(value: string, baseUrl: string, attribute: string): URL {
  let url: URL;
  try {
    url = new URL(value, baseUrl);
  } catch {
    throw new RequestFailure('config', `${attribute} "${value}" is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RequestFailure('config', `${attribute} must use http or https, not ${url.protocol}`);
  }
  return url;
}
