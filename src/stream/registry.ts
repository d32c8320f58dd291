/**
 * Shares streams between elements that watch the same resource through the same proxy and token endpoint,
 * so N elements on a page cost the requests (and the token) of one.
 */
import { browserEnvironment, type Environment } from './environment.js';
import { streamId, type StreamKey } from './key.js';
import { RecordingStream } from './recording-stream.js';

export interface Lease {
  readonly stream: RecordingStream;
  /**
   * Gives the stream back. The last release drops it from the registry, one microtask later; the stream stops
   * itself when its last subscriber leaves.
   */
  release(): void;
}

export class StreamRegistry {
  readonly #env: Environment;
  readonly #streams = new Map<string, { stream: RecordingStream; leases: number }>();

  constructor(env: Environment = browserEnvironment) {
    this.#env = env;
  }

  get size(): number {
    return this.#streams.size;
  }

  acquire(key: StreamKey): Lease {
    const id = streamId(key);
    let entry = this.#streams.get(id);
    if (!entry) {
      entry = { stream: new RecordingStream(key, this.#env), leases: 0 };
      this.#streams.set(id, entry);
    }
    entry.leases++;
    const held = entry;
    let released = false;
    return {
      stream: held.stream,
      release: () => {
        if (released) return;
        released = true;
        held.leases--;
        // Deferred like the stream's own stop, so an element moved in the DOM takes the same stream back.
        queueMicrotask(() => {
          if (held.leases === 0 && this.#streams.get(id) === held) this.#streams.delete(id);
        });
      },
    };
  }
}

/** The page-wide registry every element uses. */
export const sharedRegistry = new StreamRegistry();
