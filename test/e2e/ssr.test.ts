/**
 * Markup rendered by Lit SSR (in the test runner's Node process) hydrates in the browser: the loading shell
 * shows before any script defines the element, then the element takes over and goes live.
 */
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { FakeFetch, json } from '../helpers/fake-env.js';
import { apiRecording, one } from '../helpers/recordings.js';

describe('server rendering', () => {
  it('shows the loading shell before definition, then hydrates and goes live', async () => {
    const markup = await executeServerCommand<string, { recordingId: string; proxyUrl: string }>('ssr-render', {
      recordingId: 'r1',
      proxyUrl: '/proxy',
    });
    const container = document.createElement('div');
    // Declarative shadow DOM is only parsed by the parsing APIs, not by innerHTML.
    (container as unknown as { setHTMLUnsafe(html: string): void }).setHTMLUnsafe(markup);
    document.body.append(container);
    const el = container.querySelector('recording-status')!;
    expect(customElements.get('recording-status')).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('true');
    expect(el.shadowRoot!.textContent).to.include('Checking the recording status…');

    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.message);
    window.addEventListener('error', onError);
    const realFetch = globalThis.fetch;
    const fake = new FakeFetch(() => json(one(apiRecording({ id: 'r1', status: 'UPLOADING' }))));
    globalThis.fetch = fake.asGlobal;
    try {
      await import('../../src/define.js');
      await waitUntil(() => el.status === 'UPLOADING', 'hydrated and polled');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('li')).to.have.length(4);
      expect(el.shadowRoot!.querySelector('[aria-current="step"]')!.textContent).to.include('Uploading');
      expect(errors).to.deep.equal([]);
    } finally {
      globalThis.fetch = realFetch;
      window.removeEventListener('error', onError);
      container.remove();
    }
  });
});
