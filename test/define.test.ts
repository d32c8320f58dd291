import { expect } from '@open-wc/testing';
import { RecordingStatusElement } from '../src/recording-status.js';

/** Records console.warn while `run` runs. */
async function warnings(run: () => unknown): Promise<string[]> {
  const said: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => said.push(args.map(String).join(' '));
  try {
    await run();
  } finally {
    console.warn = original;
  }
  return said;
}

describe('define', () => {
  it('registers <recording-status> once, and importing it again is harmless', async () => {
    const { RecordingStatusElement: defined } = await import('../src/define.js');
    expect(customElements.get('recording-status')).to.equal(defined);
    expect(
      await warnings(() => {
        defined.define();
      }),
    ).to.deep.equal([]);
    expect(document.createElement('recording-status')).to.be.instanceOf(defined);
  });

  it('a second copy of the package (another module URL) warns and keeps the first', async () => {
    await import('../src/define.js');
    const first = customElements.get('recording-status');
    // Another URL is another module instance: another class, as when two bundles on one page carry the element.
    const copy = (await import(
      new URL('../src/recording-status.ts?copy', import.meta.url).href
    )) as typeof import('../src/recording-status.js');
    expect(copy.RecordingStatusElement).to.not.equal(first);
    const said = await warnings(() => {
      copy.RecordingStatusElement.define();
    });
    expect(customElements.get('recording-status')).to.equal(first);
    expect(said).to.have.length(1);
    expect(said[0]).to.include('<recording-status> is already defined by another class');
  });

  it('define(tag) registers under another tag too, as a subclass, without touching the first', async () => {
    await import('../src/define.js');
    RecordingStatusElement.define('recording-status-alt');
    const alt = customElements.get('recording-status-alt')!;
    expect(alt.prototype).to.be.instanceOf(RecordingStatusElement);
    expect(document.createElement('recording-status-alt')).to.be.instanceOf(RecordingStatusElement);
    expect(
      await warnings(() => {
        RecordingStatusElement.define('recording-status-alt');
      }),
    ).to.deep.equal([]);
  });

  it('define(tag, registry) registers in the registry it is given', () => {
    const defined = new Map<string, CustomElementConstructor>();
    const registry = {
      get: (tag: string) => defined.get(tag),
      define: (tag: string, ctor: CustomElementConstructor) => defined.set(tag, ctor),
    } as unknown as CustomElementRegistry;
    RecordingStatusElement.define('scoped-status', registry);
    expect(defined.get('scoped-status')).to.equal(RecordingStatusElement);
    expect(customElements.get('scoped-status')).to.equal(undefined);
  });
});
