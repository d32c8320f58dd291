/**
 * Push for the widgets, from the host page, until the widget speaks it itself: follows the server's
 * `/events` for one target (fetch streaming, the bearer token from the token endpoint) and calls back on
 * every pushed change. The demo answers each change with the widget's public `refresh()`, so a widget reads
 * once per change instead of on a timer: with `poll-interval` at its one-hour ceiling, nothing polls.
 *
 * Demo code, not part of the widget's bundle: about forty lines a host can copy (the README shows it).
 */
export interface Pushed {
  readonly id: string;
  readonly status: string;
}

export interface PushOptions {
  readonly proxyUrl: string;
  readonly tokenEndpoint: string;
  readonly target: { readonly recordingId: string } | { readonly meetingId: string };
  /** Every `recording` event: the snapshot first, then each change. */
  readonly onEvent: (recording: Pushed | null, first: boolean) => void;
}

const TERMINAL = new Set(['UPLOADED', 'ERRORED']);

/** Follows the target until the returned function is called (or a recording stream ends for good). */
export function followPush({ proxyUrl, tokenEndpoint, target, onEvent }: PushOptions): () => void {
  const abort = new AbortController();
  const { signal } = abort;
  const query =
    'recordingId' in target
      ? `recording_id=${encodeURIComponent(target.recordingId)}`
      : `meeting_id=${encodeURIComponent(target.meetingId)}`;
  let retryMs = 3000;
  const stopped = () => signal.aborted;

  const once = async (): Promise<'again' | 'done'> => {
    const { token } = (await (await fetch(`${tokenEndpoint}?${query}`, { signal })).json()) as { token: string };
    const response = await fetch(`${proxyUrl}/events?${query}`, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
      signal,
    });
    // No push here (or not for us): the widget's own polling is the answer, so stop.
    if (!response.ok || !response.headers.get('Content-Type')?.startsWith('text/event-stream') || !response.body)
      return 'done';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let first = true;
    let last: Pushed | null = null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const fields = new Map<string, string>();
        for (const line of buffer.slice(0, end).split('\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        buffer = buffer.slice(end + 2);
        const retry = Number(fields.get('retry'));
        if (Number.isInteger(retry) && retry > 0) retryMs = retry;
        const data = fields.get('data');
        if (fields.get('event') === 'recording' && data !== undefined) {
          last = JSON.parse(data) as Pushed | null;
          onEvent(last, first);
          first = false;
        }
      }
    }
    return 'recordingId' in target && last !== null && TERMINAL.has(last.status) ? 'done' : 'again';
  };

  void (async () => {
    // Bounded: a page left open for days reconnects at most this often.
    for (let attempt = 0; attempt < 10_000 && !stopped(); attempt++) {
      try {
        if ((await once()) === 'done') return;
      } catch {
        if (stopped()) return;
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  })();
  return () => {
    abort.abort();
  };
}
