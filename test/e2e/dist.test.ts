/**
 * The built, self-contained bundle, loaded alone by a page with a strict Content-Security-Policy and
 * enforced Trusted Types, against the simulator served over real HTTP: every contract point that a host
 * relies on, end to end.
 */
import { expect, waitUntil } from '@open-wc/testing';

interface Message {
  type: string;
  id?: string;
  detail?: { status?: string; previousStatus?: string | null; kind?: string };
  attribute?: string | null;
  [key: string]: unknown;
}

describe('dist/recording-status.min.js', () => {
  it('walks a recording to UPLOADED on a strict CSP + Trusted Types page, with no violation', async () => {
    const messages: Message[] = [];
    const onMessage = (e: MessageEvent<Message>) => messages.push(e.data);
    window.addEventListener('message', onMessage);
    const frame = document.createElement('iframe');
    frame.src = '/test/fixtures/csp-host.html';
    document.body.append(frame);
    try {
      await waitUntil(() => messages.some((m) => m.type === 'done'), 'the bundle walked the recording to UPLOADED', {
        timeout: 20_000,
        interval: 100,
      });
      const changes = messages.filter((m) => m.type === 'change' && m.id === 'by-recording');
      expect(changes.map((m) => m.detail!.status)).to.deep.equal(['INVOKED', 'RECORDING', 'UPLOADING', 'UPLOADED']);
      expect(changes.map((m) => m.detail!.previousStatus)).to.deep.equal([null, 'INVOKED', 'RECORDING', 'UPLOADING']);
      expect(changes.map((m) => m.attribute)).to.deep.equal(['INVOKED', 'RECORDING', 'UPLOADING', 'UPLOADED']);
      const done = messages.find((m) => m.type === 'done')!;
      expect(done.shownId).to.equal(done.recordingId);
      expect(String(done.link)).to.match(/^http:\/\/localhost:\d+\/sim\/downloads\//);
      expect(done.current).to.deep.equal([null, null, null, 'step']);
      // The simulator's tokens start with "sim_": none may reach the page.
      expect(String(done.page)).to.not.match(/sim_[0-9a-f]{6,}/);
      expect(messages.filter((m) => m.type === 'violation')).to.deep.equal([]);
      expect(messages.filter((m) => m.type === 'error')).to.deep.equal([]);
      // A recording the proxy does not know: not-found, retried, said in the notice, the rest unaffected.
      const missing = messages.find((m) => m.type === 'missing-error')!;
      expect(missing.detail).to.deep.include({ kind: 'not-found', httpStatus: 404, willRetry: true });
      expect(String(missing.notice)).to.match(/Recording not found, retrying in/);
      // The meeting-id element follows the newest recording of the same meeting.
      await waitUntil(
        () => messages.some((m) => m.id === 'by-meeting' && m.detail?.status === 'UPLOADED'),
        'meeting widget',
        {
          timeout: 10_000,
        },
      );
    } finally {
      window.removeEventListener('message', onMessage);
      frame.remove();
    }
  });
});
