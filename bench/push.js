// @ts-check
/** The push benchmark's page (bench/push.mjs drives it): elements against the real server, on real time. */

/** @type {HTMLElement[]} */
let mounted = [];

const api = {
  /** `count` elements on one recording. */
  mount(/** @type {string} */ id, /** @type {number} */ count, /** @type {string} */ transport, pollInterval = 5000) {
    for (let i = 0; i < count; i++) {
      const el = document.createElement('recording-status');
      el.setAttribute('recording-id', id);
      el.setAttribute('proxy-url', '/api');
      el.setAttribute('token-endpoint', '/api/token');
      el.setAttribute('transport', transport);
      el.setAttribute('poll-interval', String(pollInterval));
      el.setAttribute('compact', '');
      document.body.append(el);
      mounted.push(el);
    }
  },
  unmount() {
    for (const el of mounted) el.remove();
    mounted = [];
  },
  allAt: (/** @type {string} */ status) =>
    mounted.length > 0 && mounted.every((el) => el.getAttribute('status') === status),
  pushing: () => mounted.filter((el) => el.getAttribute('connection') === 'push').length,
  /**
   * Pauses or resumes (whichever fits), `count` times: for each, the time from asking the simulator (which signs and
   * delivers the webhook) to the element's status attribute showing the change.
   */
  async latencies(/** @type {string} */ id, /** @type {number} */ count, gapMs = 20) {
    const el = mounted[0];
    if (!el) return [];
    /** @type {number[]} */
    const times = [];
    for (let i = 0; i < count; i++) {
      // A random wait first, so that a polled element's samples fall anywhere in its interval.
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * gapMs));
      const want = el.getAttribute('status') === 'RECORDING' ? 'PAUSED' : 'RECORDING';
      const seen = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (el.getAttribute('status') !== want) return;
          observer.disconnect();
          resolve(performance.now());
        });
        observer.observe(el, { attributeFilter: ['status'] });
      });
      const started = performance.now();
      await fetch(`/api/control/recordings/${id}/${want === 'PAUSED' ? 'pause' : 'resume'}`, { method: 'POST' });
      times.push(/** @type {number} */ (await seen) - started);
    }
    return times;
  },
};
Object.assign(window, api);
