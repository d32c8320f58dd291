import { expect } from '@open-wc/testing';

describe('define', () => {
  it('registers <recording-status> once, and importing it again is harmless', async () => {
    const { RecordingStatusElement } = await import('../src/define.js');
    expect(customElements.get('recording-status')).to.equal(RecordingStatusElement);
    // A second copy of the module (another URL), as when two bundles on one page both carry the element.
    const again = new URL('../src/define.ts?again', import.meta.url).href;
    await import(again);
    expect(customElements.get('recording-status')).to.equal(RecordingStatusElement);
    expect(document.createElement('recording-status')).to.be.instanceOf(RecordingStatusElement);
  });
});
