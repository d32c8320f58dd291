/**
 * One visually hidden live region pair in the light DOM, shared by every instance on the page: live regions
 * inside shadow roots are announced unreliably by some screen reader and browser pairs.
 *
 * The regions are created empty on first use and written a moment later, since a region that appears with
 * its text already inside is often not announced. Messages that arrive together are read as one, and each
 * source keeps only its latest message, so INVOKED → RECORDING in one burst reads "recording" once.
 */
export type Politeness = 'polite' | 'assertive';

const BATCH_MS = 400;
const HIDDEN =
  'position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0';

interface Pending {
  message: string;
  politeness: Politeness;
}

export class Announcer {
  readonly #document: Document;
  readonly #pending = new Map<object, Pending>();
  #regions: Record<Politeness, HTMLElement> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(document: Document) {
    this.#document = document;
  }

  /** The region elements, for tests and for hosts that want to move them. */
  get regions(): Readonly<Record<Politeness, HTMLElement>> | null {
    return this.#regions;
  }

  /** How many sources have a message queued. */
  get size(): number {
    return this.#pending.size;
  }

  announce(source: object, message: string, politeness: Politeness = 'polite'): void {
    this.#ensureRegions();
    const previous = this.#pending.get(source);
    // An assertive message (a failure) is not downgraded by a polite one in the same burst.
    const level = previous?.politeness === 'assertive' ? 'assertive' : politeness;
    this.#pending.set(source, { message, politeness: level });
    this.#timer ??= globalThis.setTimeout(() => {
      this.#flush();
    }, BATCH_MS);
  }

  /** Drops what a source had queued, e.g. when it disconnects. */
  forget(source: object): void {
    this.#pending.delete(source);
    if (this.#pending.size === 0 && this.#timer !== undefined) {
      globalThis.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #ensureRegions(): void {
    if (this.#regions?.polite.isConnected && this.#regions.assertive.isConnected) return;
    const make = (politeness: Politeness) => {
      const region = this.#document.createElement('div');
      region.setAttribute('aria-live', politeness);
      region.setAttribute('aria-atomic', 'true');
      region.setAttribute('role', politeness === 'assertive' ? 'alert' : 'status');
      region.dataset.recordingStatusAnnouncer = politeness;
      // A style attribute set through CSSOM is not blocked by a strict style-src policy.
      region.style.cssText = HIDDEN;
      this.#document.body.append(region);
      return region;
    };
    this.#regions = { polite: make('polite'), assertive: make('assertive') };
  }

  #flush(): void {
    this.#timer = undefined;
    const regions = this.#regions;
    if (!regions) return;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    for (const politeness of ['polite', 'assertive'] as const) {
      const text = batch
        .filter((p) => p.politeness === politeness)
        .map((p) => p.message)
        .join('. ');
      if (text) regions[politeness].textContent = text;
    }
  }
}

let shared: Announcer | null = null;

export function sharedAnnouncer(): Announcer {
  shared ??= new Announcer(document);
  return shared;
}
