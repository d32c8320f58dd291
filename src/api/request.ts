/**
 * One HTTP GET with a deadline, shared by the proxy client and the token source so both time out, abort
 * and classify transport failures the same way.
 */
import { timerDelay, type Clock, type FetchLike } from '../platform.js';
import { RequestFailure } from './errors.js';

export interface RequestOptions {
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  /** Aborts the request for the caller's own reasons (disconnect, reconfiguration). */
  readonly signal: AbortSignal;
  /** Names the far end in error messages: "proxy" or "token endpoint". */
  readonly label: string;
}

export function getWithDeadline(
  fetch: FetchLike,
  clock: Clock,
  url: string,
  options: RequestOptions,
): Promise<{ response: Response; body: string }> {
  // The deadline covers the body too: a server can hang after sending headers.
  return request(fetch, clock, url, options, async (response) => ({ response, body: await response.text() }));
}

/**
 * The same GET, answered at its headers: an event stream's body never ends, so the deadline covers only their
 * arrival. The caller reads the body, or cancels it; aborting `options.signal` still ends the request.
 */
export function openWithDeadline(
  fetch: FetchLike,
  clock: Clock,
  url: string,
  options: RequestOptions,
): Promise<Response> {
  return request(fetch, clock, url, options, (response) => Promise.resolve(response), true);
}

async function request<T>(
  fetch: FetchLike,
  clock: Clock,
  url: string,
  options: RequestOptions,
  read: (response: Response) => Promise<T>,
  open = false,
): Promise<T> {
  const controller = new AbortController();
  // An object, not a let: the timer's write happens in a closure that narrowing cannot see.
  const deadline = { passed: false };
  const onCallerAbort = () => {
    controller.abort();
  };
  options.signal.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal.aborted) controller.abort();
  const timer = clock.setTimeout(() => {
    deadline.passed = true;
    controller.abort();
  }, timerDelay(options.timeoutMs));
  let answered = false;
  try {
    const response = await fetch(url, {
      method: 'GET',
      headers: options.headers,
      credentials: 'same-origin',
      // The widget manages If-None-Match itself; the HTTP cache must not answer for the server.
      cache: 'no-store',
      signal: controller.signal,
    });
    const result = await read(response);
    answered = true;
    return result;
  } catch {
    if (deadline.passed) {
      throw new RequestFailure('timeout', `The ${options.label} did not answer within ${options.timeoutMs} ms.`);
    }
    // Only the caller's own abort is silent; one it did not ask for (a host's fetch wrapper, an extension)
    // is a failure to report and retry, or the widget would wait forever.
    if (options.signal.aborted) throw new DOMException('Aborted', 'AbortError');
    // A refused CORS check and a dead network look the same to a page; on another origin, say what to check.
    const elsewhere = !url.startsWith(location.origin + '/');
    throw new RequestFailure(
      'network',
      `The ${options.label} could not be reached.${elsewhere ? ' Another origin: check its CORS headers.' : ''}`,
    );
  } finally {
    clock.clearTimeout(timer);
    // An opened stream stays tied to the caller's signal for as long as its body is read.
    if (!(open && answered)) options.signal.removeEventListener('abort', onCallerAbort);
  }
}

/** Parses JSON without letting a syntax error escape as anything but `undefined`. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
