/**
 * Whether the page declares a colour scheme around an element. Reading a computed style forces a style
 * recalculation (and, for a size container such as this element, a layout) whenever the DOM changed since
 * the last one, so a read per render costs one of each per element: answers arrive in separate tasks, with
 * renders between them. Reads are instead batched per frame: elements ask during their update, and one
 * animation-frame callback (before that frame paints, so nothing flashes) reads them all at once, then hands
 * each its answer. A hidden page runs no frames and paints nothing, so its reads wait until it is shown.
 */
export interface SchemeReader extends Element {
  /** `true` when the page declares no colour scheme here, so the element follows the user's preference. */
  schemeRead(auto: boolean): void;
}

export class ColorSchemeProbe {
  readonly #pending = new Set<SchemeReader>();

  /** How many elements wait for the next read. */
  get size(): number {
    return this.#pending.size;
  }

  request(element: SchemeReader): void {
    if (this.#pending.size === 0) {
      const read = () => {
        this.#read();
      };
      if (typeof requestAnimationFrame === 'function') requestAnimationFrame(read);
      else queueMicrotask(read);
    }
    this.#pending.add(element);
  }

  /** Drops a pending request, e.g. when the element leaves the page. */
  cancel(element: SchemeReader): void {
    this.#pending.delete(element);
  }

  #read(): void {
    const elements = [...this.#pending].filter((element) => element.isConnected);
    this.#pending.clear();
    // Every read first, then every write: a write between two reads would force another recalculation.
    const answers = elements.map((element) => [element, getComputedStyle(element).colorScheme === 'normal'] as const);
    for (const [element, auto] of answers) element.schemeRead(auto);
  }
}

export const colorSchemeProbe = new ColorSchemeProbe();
