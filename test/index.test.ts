import { expect } from '@open-wc/testing';
import * as api from '../src/index.js';

describe('index (the side-effect-free entry)', () => {
  it('exports the class, the events and the lists, without registering the tag', () => {
    expect(customElements.get('recording-status')).to.equal(undefined);
    expect(api.RecordingStatusElement.prototype).to.be.instanceOf(HTMLElement);
    expect(
      new api.RecordingStatusChangeEvent({ status: 'RECORDING', previousStatus: null, recording: null as never }).type,
    ).to.equal('recording-status-change');
    expect(api.RecordingStatusErrorEvent.eventName).to.equal('recording-status-error');
    expect(api.STATUSES).to.deep.equal(['INVOKED', 'RECORDING', 'PAUSED', 'UPLOADING', 'UPLOADED', 'ERRORED']);
    expect(api.ERROR_KINDS).to.have.members([
      'config',
      'network',
      'timeout',
      'http',
      'unauthorized',
      'forbidden',
      'not-found',
      'rate-limited',
      'invalid-response',
      'token',
    ]);
  });
});
