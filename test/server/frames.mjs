// @ts-check
/** Reading Server-Sent Events in tests: frame by frame, over real HTTP. */

/** Reads an event stream frame by frame. */
export class Frames {
  /** @param {Response} response */
  constructor(response) {
    this.response = response;
    this.reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
    this.decoder = new TextDecoder();
    this.buffer = '';
    /** @type {string[]} */
    this.frames = [];
    this.done = false;
  }
  /** The next frame (an event or a comment), or null when the stream ended. */
  async next() {
    for (let guard = 0; guard < 1000; guard++) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        this.frames.push(frame);
        return frame;
      }
      const { done, value } = await this.reader.read();
      if (done) {
        this.done = true;
        return null;
      }
      this.buffer += this.decoder.decode(value, { stream: true });
    }
    throw new Error('no frame');
  }
  /** The data of the next `recording` event. */
  async recording() {
    for (;;) {
      const frame = await this.next();
      if (frame === null) return undefined;
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (/^event: recording$/m.test(frame) && data !== undefined) return JSON.parse(data);
    }
  }
}

export const open = async (
  /** @type {string} */ url,
  /** @type {string} */ token,
  signal = AbortSignal.timeout(20_000),
) =>
  new Frames(await fetch(url, { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` }, signal }));
