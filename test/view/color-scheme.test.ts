import { expect } from '@open-wc/testing';
import { ColorSchemeProbe, type SchemeReader } from '../../src/view/color-scheme.js';

const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

function reader(parent: HTMLElement, answers: boolean[]): SchemeReader {
  const el = document.createElement('div') as unknown as SchemeReader;
  el.schemeRead = (auto) => answers.push(auto);
  parent.append(el);
  return el;
}

describe('view/color-scheme', () => {
  it('reads every element that asked within a frame in one batch, not one read per ask', async () => {
    const probe = new ColorSchemeProbe();
    const answers: boolean[][] = [[], [], []];
    const els = answers.map((a) => reader(document.body, a));
    let reads = 0;
    const original = Object.getOwnPropertyDescriptor(window, 'getComputedStyle')!;
    const read = window.getComputedStyle.bind(window);
    window.getComputedStyle = (element, pseudo) => {
      if ((els as Element[]).includes(element)) reads++;
      return read(element, pseudo);
    };
    try {
      // Asks from separate microtasks: nothing is read until the frame, not even after the microtasks.
      for (const el of els) {
        probe.request(el);
        await Promise.resolve();
      }
      expect(reads).to.equal(0);
      await frame();
      expect(reads).to.equal(3);
      expect(answers).to.deep.equal([[true], [true], [true]]);
    } finally {
      Object.defineProperty(window, 'getComputedStyle', original);
      for (const el of els) el.remove();
    }
  });

  it('says false where an ancestor declares a scheme, and skips elements gone from the page', async () => {
    const probe = new ColorSchemeProbe();
    const box = document.createElement('div');
    box.style.colorScheme = 'dark';
    document.body.append(box);
    const inDark: boolean[] = [];
    const gone: boolean[] = [];
    probe.request(reader(box, inDark));
    const removed = reader(document.body, gone);
    probe.request(removed);
    removed.remove();
    await frame();
    expect(inDark).to.deep.equal([false]);
    expect(gone).to.deep.equal([]);
    box.remove();
  });
});
