/**
 * Page-wide singletons (the ticker, the announcer) hold connected elements only: an
 * element removed before its first update must leave nothing behind, or each one a list re-renders stays in
 * the heap and keeps re-rendering every second. Real timers: the element's own schedule is what is checked.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../src/define.js';
import type { RecordingStatusElement } from '../src/recording-status.js';
import { sharedAnnouncer } from '../src/view/announcer.js';
import { pageTicker } from '../src/view/ticker.js';
import { FakeFetch, json, settle } from './helpers/fake-env.js';
import { apiRecording, one } from './helpers/recordings.js';

const fake = new FakeFetch(() => json(one(apiRecording({ id: 'r1', status: 'RECORDING' }))));
let originalFetch: typeof fetch;
let anchor: RecordingStatusElement;

const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

function create(): RecordingStatusElement {
  const el = document.createElement('recording-status');
  el.setAttribute('recording-id', 'r1');
  el.setAttribute('proxy-url', '/proxy');
  return el;
}

/** Appends and removes `n` elements, each in one task, as a list that re-renders does; then lets all run out. */
async function cycles(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const el = create();
    document.body.append(el);
    el.remove();
  }
  await settle(5);
  await frame();
  await frame();
  await settle(5);
}

describe('<recording-status> removed from the page', () => {
  before(async () => {
    originalFetch = globalThis.fetch;
    globalThis.fetch = fake.asGlobal;
    // An element that stays, watching the same recording: the removed ones share its stream, so each is
    // handed RECORDING as it subscribes, before its first update.
    anchor = create();
    document.body.append(anchor);
    while (anchor.status !== 'RECORDING') await settle(1);
    await anchor.updateComplete;
    await frame();
  });
  after(() => {
    anchor.remove();
    globalThis.fetch = originalFetch;
  });

  it('leaves none of 1000 removed elements in the ticker or the announcer', async () => {
    expect(pageTicker.size, 'the element on the page ticks').to.equal(1);
    await cycles(1000);
    expect(pageTicker.size, 'ticker').to.equal(1);
    expect(sharedAnnouncer().size, 'announcer').to.equal(0);
  });

  it('does not announce or tick for an element removed before its first update', async () => {
    const el = create();
    const before = sharedAnnouncer().regions?.polite.textContent ?? '';
    document.body.append(el);
    el.remove();
    await el.updateComplete;
    expect(el.status, 'it was handed the recording').to.equal('RECORDING');
    expect(pageTicker.size).to.equal(1);
    expect(sharedAnnouncer().size).to.equal(0);
    await settle(5);
    expect(sharedAnnouncer().regions?.polite.textContent ?? '').to.equal(before);
  });

  it('ticks again when put back on the page, and stops when removed', async () => {
    const el = create();
    document.body.append(el);
    el.remove();
    await el.updateComplete;
    document.body.append(el);
    await el.updateComplete;
    expect(pageTicker.size).to.equal(2);
    el.remove();
    expect(pageTicker.size).to.equal(1);
  });

  it('keeps the heap flat: four rounds of 1000 cycles grow it by under 100 KiB each after the first', async function () {
    this.timeout(120_000);
    const heap = () => executeServerCommand<number | false, undefined>('heap-after-gc');
    const sizes = [await heap()];
    if (sizes[0] === false) this.skip();
    for (let round = 1; round <= 4; round++) {
      await cycles(1000);
      sizes.push(await heap());
      const growth = sizes.slice(1).map((size, i) => `${Math.round((Number(size) - Number(sizes[i])) / 1024)} KiB`);
      // The first round may fill caches (styles, templates); every later one must return what it took.
      // Checked per round, so a leak fails here before the leaked elements' re-renders slow the page down.
      if (round > 1)
        expect(Number(sizes[round]) - Number(sizes[round - 1]), `growth per round: ${growth.join(', ')}`).to.be.below(
          100 * 1024,
        );
    }
  });
});
