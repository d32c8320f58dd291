import { expect } from '@open-wc/testing';
import { Announcer } from '../../src/view/announcer.js';
import { installPageClock, type PageClock } from '../helpers/page-clock.js';

describe('view/announcer', () => {
  let clock: PageClock;
  let announcer: Announcer;
  beforeEach(() => {
    clock = installPageClock();
    announcer = new Announcer(document);
  });
  afterEach(() => {
    for (const region of Object.values(announcer.regions ?? {})) region.remove();
    clock.uninstall();
  });

  it('creates one polite and one assertive region in the light DOM, empty before the first message', () => {
    announcer.announce({}, 'Weekly sync recording: uploading');
    const { polite, assertive } = announcer.regions!;
    expect(polite.parentElement).to.equal(document.body);
    expect(polite.getAttribute('aria-live')).to.equal('polite');
    expect(assertive.getAttribute('aria-live')).to.equal('assertive');
    expect(polite.textContent).to.equal('');
  });

  it('writes the message a moment later, so the region exists before its text', async () => {
    announcer.announce({}, 'Weekly sync recording: uploading');
    await clock.advance(400);
    expect(announcer.regions!.polite.textContent).to.equal('Weekly sync recording: uploading');
    expect(announcer.regions!.assertive.textContent).to.equal('');
  });

  it('reads a burst from one source as its last message only', async () => {
    const source = {};
    announcer.announce(source, 'Recording: requested');
    await clock.advance(100);
    announcer.announce(source, 'Recording: recording');
    await clock.advance(400);
    expect(announcer.regions!.polite.textContent).to.equal('Recording: recording');
  });

  it('joins messages from several sources into one reading', async () => {
    announcer.announce({}, 'A recording: ready');
    announcer.announce({}, 'B recording: uploading');
    await clock.advance(400);
    expect(announcer.regions!.polite.textContent).to.equal('A recording: ready. B recording: uploading');
  });

  it('uses the assertive region only for assertive messages, and a later polite one does not downgrade it', async () => {
    const source = {};
    announcer.announce(source, 'Recording: failed', 'assertive');
    announcer.announce(source, 'Recording: failed, retrying', 'polite');
    await clock.advance(400);
    expect(announcer.regions!.assertive.textContent).to.equal('Recording: failed, retrying');
    expect(announcer.regions!.polite.textContent).to.equal('');
  });

  it('reuses its regions for every message and every source', async () => {
    announcer.announce({}, 'one');
    await clock.advance(400);
    announcer.announce({}, 'two');
    await clock.advance(400);
    expect(document.querySelectorAll('[data-recording-status-announcer]')).to.have.length(2);
  });

  it('drops what a source queued when it goes away', async () => {
    const source = {};
    announcer.announce(source, 'gone');
    announcer.forget(source);
    await clock.advance(400);
    expect(announcer.regions!.polite.textContent).to.equal('');
    expect(clock.pending).to.equal(0);
  });
});
