// @ts-check
/**
 * The render benchmark's browser half: how long N elements showing RECORDING with details take to appear,
 * beside a plain element that stamps the very same shadow DOM and styles (the floor any element can reach).
 * The proxy is answered in the page, so only rendering is measured. The Node half reads Chromium's own
 * style-recalculation and layout counters around each run.
 */
const RECORDING = {
  success: true,
  data: {
    id: 'r',
    status: 'RECORDING',
    meeting_id: 'm',
    invoked_time: '2026-11-20T09:58:00Z',
    started_time: '2026-11-20T09:59:00Z',
    output_file_name: 'weekly-sync.mp4',
    meeting: { id: 'm', title: 'Weekly sync' },
  },
};

// Answered at once and in the page: the network is not what is measured.
const realFetch = globalThis.fetch;
globalThis.fetch = async (/** @type {RequestInfo | URL} */ input, /** @type {RequestInit | undefined} */ init) => {
  const url = String(input instanceof Request ? input.url : input);
  if (!url.includes('/bench-proxy/')) return realFetch(input, init);
  const id = decodeURIComponent(url.split('/').pop() ?? '');
  return new Response(JSON.stringify({ ...RECORDING, data: { ...RECORDING.data, id } }), {
    headers: { 'Content-Type': 'application/json' },
  });
};

// The built element is loaded by render.html after this module has put the fake proxy in place.
await customElements.whenDefined('recording-status');
const RecordingStatus = /** @type {any} */ (customElements.get('recording-status'));

/** The shadow DOM a rendered element holds, and its style sheets, to stamp statically. */
const reference = /** @type {any} */ (document.createElement('recording-status'));
reference.setAttribute('recording-id', 'reference');
reference.setAttribute('proxy-url', '/bench-proxy');
document.body.append(reference);
while (reference.getAttribute('status') !== 'RECORDING') await new Promise((r) => setTimeout(r, 10));
await reference.updateComplete;
const markup = reference.shadowRoot.innerHTML;
const sheets = RecordingStatus.elementStyles.map((/** @type {any} */ s) => s.styleSheet);
reference.remove();

class StaticStamp extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = sheets;
    root.innerHTML = markup;
  }
}
customElements.define('static-stamp', StaticStamp);

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
let round = 0;

/**
 * Appends `n` elements in one task and resolves with the milliseconds until all of them show RECORDING
 * and have rendered (or, for the static stamp, have stamped), measured to the next frame.
 */
async function run(/** @type {'element' | 'static'} */ kind, /** @type {number} */ n) {
  const box = document.createElement('div');
  document.body.append(box);
  await frame();
  const started = performance.now();
  round++;
  const elements = [];
  for (let i = 0; i < n; i++) {
    const el = document.createElement(kind === 'element' ? 'recording-status' : 'static-stamp');
    if (kind === 'element') {
      el.setAttribute('recording-id', `r-${round}-${i}`);
      el.setAttribute('proxy-url', '/bench-proxy');
    }
    elements.push(el);
  }
  box.append(...elements);
  if (kind === 'element') {
    for (;;) {
      if (elements.every((el) => el.getAttribute('status') === 'RECORDING')) break;
      await new Promise((r) => setTimeout(r, 0));
    }
    await Promise.all(elements.map((el) => /** @type {any} */ (el).updateComplete));
  }
  await frame();
  const ms = performance.now() - started;
  return { ms, clear: () => box.remove() };
}

/** @type {any} */ (window).renderRun = async (/** @type {'element' | 'static'} */ kind, /** @type {number} */ n) => {
  const { ms, clear } = await run(kind, n);
  /** @type {any} */ (window).clearRender = clear;
  return ms;
};
/** An element that stays on the page, watching the recording the removed ones watch, so their stream lives. */
let anchor = /** @type {any} */ (null);

/**
 * Appends and removes `n` elements, each in the same task, as a list that re-renders does, then lets every
 * request, update and frame that follows run out. The removed elements watch a RECORDING recording that an
 * element still on the page watches too, so each is handed the recording as it subscribes. What stays in
 * the heap after that is what a removed element leaves behind.
 */
/** @type {any} */ (window).detachRun = async (/** @type {'element' | 'static'} */ kind, /** @type {number} */ n) => {
  if (kind === 'element' && anchor === null) {
    anchor = document.createElement('recording-status');
    anchor.setAttribute('recording-id', 'detached');
    anchor.setAttribute('proxy-url', '/bench-proxy');
    document.body.append(anchor);
    while (anchor.getAttribute('status') !== 'RECORDING') await new Promise((r) => setTimeout(r, 10));
  }
  for (let i = 0; i < n; i++) {
    const el = document.createElement(kind === 'element' ? 'recording-status' : 'static-stamp');
    if (kind === 'element') {
      el.setAttribute('recording-id', 'detached');
      el.setAttribute('proxy-url', '/bench-proxy');
    }
    document.body.append(el);
    el.remove();
  }
  for (let i = 0; i < 5; i++) {
    await frame();
    await new Promise((r) => setTimeout(r, 20));
  }
};
/** @type {any} */ (window).renderReady = true;

export {};
