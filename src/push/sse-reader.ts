/**
 * Reads one Server-Sent Events body with `eventsource-parser`, the spec-following parser (line endings, split
 * chunks, multi-line data, `retry:` validation), so no hand-written framing reaches users.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface EventHandlers {
  /** A complete event: its `event:` type (undefined when none), its data and its `id:`. */
  event(message: EventSourceMessage): void;
  /** A valid `retry:` field, in milliseconds. */
  retry(ms: number): void;
  /** Bytes arrived (an event, a comment, a keepalive): what the silence watchdog feeds on. */
  activity(): void;
}

/**
 * A recording event is about a kilobyte; a server that sends this much without completing an event or a
 * comment is broken or hostile, and must not grow the page's memory without bound.
 */
const MAX_PENDING_CHARS = 256 * 1024;

/**
 * Reads `body` until it ends (resolves) or fails (rejects). Aborting `signal` cancels the read, which then
 * resolves: the caller knows it asked for the end.
 */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  handlers: EventHandlers,
  signal: AbortSignal,
): Promise<void> {
  let pending = 0;
  const parser = createParser({
    onEvent: (message) => {
      pending = 0;
      handlers.event(message);
    },
    onRetry: (ms) => {
      handlers.retry(ms);
    },
    onComment: () => (pending = 0),
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const cancel = () => {
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', cancel);
  try {
    if (signal.aborted) cancel();
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal.aborted) return;
      handlers.activity();
      const text = decoder.decode(value, { stream: true });
      if ((pending += text.length) > MAX_PENDING_CHARS) throw new Error('An event is too large.');
      parser.feed(text);
    }
  } finally {
    signal.removeEventListener('abort', cancel);
    cancel();
  }
}
