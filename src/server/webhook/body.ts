/**
 * A webhook's body, read whole within a size limit and a deadline. Under `@hono/node-server` the bytes come
 * straight off Node's IncomingMessage (the adapter hands it over as `env.incoming`): reading `request.body`
 * there would make the adapter build a full web Request and a web stream around it for a few kilobytes.
 * Everywhere else (workerd, a test's `fetch`) the web stream is read.
 */
import type { Clock, TimerId } from '../../platform.js';

export interface BodyLimits {
  readonly maxBytes: number;
  readonly ms: number;
  readonly clock: Clock;
}

/** What reading a body cut off at its deadline throws. */
export class SlowBody extends Error {
  override name = 'SlowBody';
}

/** What reading a body that stopped half-way (its sender went away) throws. */
export class CutBody extends Error {
  override name = 'CutBody';
}

/** The part of Node's IncomingMessage read here, so this module needs no Node types and runs in workerd. */
interface NodeIncoming {
  readonly readableDidRead: boolean;
  readonly readableEnded: boolean;
  listenerCount(event: 'data'): number;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  off(event: 'data' | 'end' | 'close' | 'error', listener: (...args: never[]) => void): unknown;
  pause(): unknown;
}

/**
 * The adapter's IncomingMessage, if this request came through `@hono/node-server` and no one has started to
 * read its body (then the web Request owns it, and only the web path may read on).
 */
function nodeIncoming(env: unknown): NodeIncoming | null {
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return null;
  const { incoming } = env;
  if (typeof incoming !== 'object' || incoming === null) return null;
  const candidate = incoming as Partial<Record<keyof NodeIncoming, unknown>>;
  if (
    typeof candidate.on !== 'function' ||
    typeof candidate.off !== 'function' ||
    typeof candidate.pause !== 'function' ||
    typeof candidate.listenerCount !== 'function' ||
    candidate.readableDidRead !== false ||
    candidate.readableEnded !== false
  ) {
    return null;
  }
  const node = incoming as NodeIncoming;
  return node.listenerCount('data') === 0 ? node : null;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads the IncomingMessage's data events; what comes after a refusal is left to the adapter to drain. */
function readIncoming(incoming: NodeIncoming, limits: BodyLimits): Promise<Uint8Array<ArrayBuffer> | null> {
  const { clock } = limits;
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const timer = clock.setTimeout(() => {
      stop();
      incoming.pause();
      reject(new SlowBody());
    }, limits.ms);
    function stop() {
      clock.clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    }
    function onData(chunk: Uint8Array) {
      size += chunk.byteLength;
      if (size > limits.maxBytes) {
        stop();
        incoming.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    }
    function onEnd() {
      stop();
      resolve(concat(chunks, size));
    }
    function onError(error: unknown) {
      stop();
      reject(error instanceof Error ? error : new CutBody('The request body could not be read.'));
    }
    function onClose() {
      stop();
      reject(new CutBody('The sender went away before its body was complete.'));
    }
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

/** Reads a web stream, cancelling it when it runs over the limit or the deadline. */
async function readStream(
  stream: ReadableStream<Uint8Array>,
  limits: BodyLimits,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const { clock } = limits;
  const reader = stream.getReader();
  let timer: TimerId | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => {
      reject(new SlowBody());
    }, limits.ms);
  });
  late.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) return concat(chunks, size);
      size += value.byteLength;
      if (size > limits.maxBytes) {
        reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof SlowBody) reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
  }
}

/**
 * The body's exact bytes, or null when it is larger than `maxBytes` (said by its Content-Length before any of
 * it is read, or found while reading one sent chunked). Throws `SlowBody` when it has not all arrived within
 * `ms`, `CutBody` (or the runtime's error) when its sender went away.
 */
export function readBody(request: Request, env: unknown, limits: BodyLimits): Promise<Uint8Array<ArrayBuffer> | null> {
  const length = request.headers.get('content-length');
  if (length !== null && !request.headers.has('transfer-encoding') && Number.parseInt(length, 10) > limits.maxBytes) {
    return Promise.resolve(null);
  }
  const incoming = nodeIncoming(env);
  if (incoming !== null) return readIncoming(incoming, limits);
  const stream = request.body;
  return stream === null ? Promise.resolve(new Uint8Array(0)) : readStream(stream, limits);
}
