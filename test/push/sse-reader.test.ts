import { expect } from '@open-wc/testing';
import { readEvents } from '../../src/push/sse-reader.js';

/** A body that yields `chunks` and then ends, or stays open. */
function body(chunks: string[], end = true): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (end) controller.close();
    },
  });
}

function collect() {
  const seen = { events: [] as [string | undefined, string, string | undefined][], retries: [] as number[], bytes: 0 };
  return {
    seen,
    handlers: {
      event: ({ event, data, id }: { event?: string | undefined; data: string; id?: string | undefined }) =>
        seen.events.push([event, data, id]),
      retry: (ms: number) => seen.retries.push(ms),
      activity: () => seen.bytes++,
    },
  };
}

describe('push/sse-reader', () => {
  it('reads events split across chunks, in any line ending, with multi-line data', async () => {
    const { seen, handlers } = collect();
    await readEvents(
      body(['retry: 2500\r\nevent: recor', 'ding\rid: 3\ndata: {"a":\ndata: 1}\n', '\n: keepalive\n\n', 'data: x\n\n']),
      handlers,
      new AbortController().signal,
    );
    expect(seen.events).to.deep.equal([
      ['recording', '{"a":\n1}', '3'],
      [undefined, 'x', undefined],
    ]);
    expect(seen.retries).to.deep.equal([2500]);
    expect(seen.bytes).to.equal(4);
  });

  it('ignores a retry: that is not a number', async () => {
    const { seen, handlers } = collect();
    await readEvents(body(['retry: soon\n\n']), handlers, new AbortController().signal);
    expect(seen.retries).to.deep.equal([]);
  });

  it('aborting ends the read, and cancels the body', async () => {
    const { handlers } = collect();
    let cancelled = false;
    const open = new ReadableStream<Uint8Array>({
      cancel: () => {
        cancelled = true;
      },
    });
    const abort = new AbortController();
    const reading = readEvents(open, handlers, abort.signal);
    abort.abort();
    await reading;
    expect(cancelled).to.equal(true);
  });

  it('refuses a line that never ends past 256 kB rather than buffer without bound', async () => {
    const { handlers } = collect();
    const huge = 'data: ' + 'x'.repeat(300 * 1024);
    let error: unknown;
    await readEvents(body([huge], false), handlers, new AbortController().signal).catch((e: unknown) => {
      error = e;
    });
    expect(String(error)).to.include('too large');
  });
});
