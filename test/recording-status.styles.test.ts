/**
 * What the styles promise: contrast, motion, forced colours, reflow, right-to-left, orientation, theming.
 * Measured from computed styles and layout in the real engines.
 */
import { expect } from '@open-wc/testing';
import type { RecordingStatusElement } from '../src/recording-status.js';
import { emulateForcedColors, launchedInForcedColors, launchedWithReducedMotion, tryEmulate } from './helpers/media.js';
import { showRecording } from './helpers/mount.js';

function rgb(color: string): [number, number, number] {
  const match = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)/.exec(color);
  if (!match) throw new Error(`unparsed colour ${color}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
function luminance([r, g, b]: [number, number, number]): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((m, n) => n - m) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

const part = (el: RecordingStatusElement, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
const style = (node: Element) => getComputedStyle(node);
const mounted: HTMLElement[] = [];
afterEach(() => {
  mounted.splice(0).forEach((el) => {
    el.remove();
  });
});

async function show(fields: Record<string, unknown>, attributes: Record<string, string> = {}, container?: HTMLElement) {
  const el = await showRecording(fields, attributes, container);
  mounted.push(container ?? el);
  return el;
}

/** Tests of the ordinary look skip in a browser started in forced colours; that one runs the two below. */
const look = launchedInForcedColors ? it.skip : it;

describe('<recording-status> styles', () => {
  for (const scheme of ['light', 'dark'] as const) {
    look(`has ≥ 4.5:1 text and ≥ 3:1 indicator contrast in ${scheme}`, async () => {
      const el = await show({
        status: 'ERRORED',
        file_size: 10,
        stopped_time: '2026-11-20T09:31:12.003Z',
      });
      el.style.colorScheme = scheme;
      const surface = style(part(el, '[part="base"]')).backgroundColor;
      const texts: [string, Element][] = [
        ['description', part(el, '[part="description"]')],
        ['completed label', part(el, '.step.complete [part="label"]')],
        ['failed label', part(el, '.step.failed [part="label"]')],
        ['upcoming label', part(el, '.step.upcoming [part="label"]')],
        ['details term', part(el, 'dt')],
        ['relative time', part(el, '.relative')],
      ];
      for (const [name, node] of texts) {
        expect(contrast(style(node).color, surface), `${name} in ${scheme}`).to.be.at.least(4.5);
      }
      for (const state of ['complete', 'failed', 'upcoming']) {
        const indicator = part(el, `.step.${state} .indicator`);
        expect(contrast(style(indicator).borderTopColor, surface), `${state} indicator in ${scheme}`).to.be.at.least(3);
      }
      const current = await show({ status: 'RECORDING' });
      current.style.colorScheme = scheme;
      const base = (e: RecordingStatusElement) => style(part(e, '[part="base"]')).backgroundColor;
      expect(contrast(style(part(current, '.step.current .indicator')).borderTopColor, base(current))).to.be.at.least(
        3,
      );
      const uploaded = await show({ status: 'UPLOADED', download_url: 'https://cdn.example/r.mp4' });
      uploaded.style.colorScheme = scheme;
      expect(contrast(style(part(uploaded, 'a')).color, base(uploaded))).to.be.at.least(4.5);
    });
  }

  look('follows a colour scheme the host sets on the element', async () => {
    const el = await show({ status: 'RECORDING' });
    el.style.colorScheme = 'light';
    const light = style(part(el, '[part="base"]')).backgroundColor;
    el.style.colorScheme = 'dark';
    expect(style(part(el, '[part="base"]')).backgroundColor).to.not.equal(light);
    expect(luminance(rgb(style(part(el, '[part="base"]')).backgroundColor))).to.be.below(0.05);
  });

  look("inherits the page's colour scheme from an ancestor", async () => {
    const box = document.createElement('div');
    box.style.colorScheme = 'dark';
    document.body.append(box);
    const el = await show({ status: 'RECORDING' }, {}, box);
    expect(luminance(rgb(style(part(el, '[part="base"]')).backgroundColor))).to.be.below(0.05);
  });

  look("follows the user's preference where the page declares both schemes", async function () {
    if (!(await tryEmulate({ colorScheme: 'dark' }))) this.skip();
    try {
      const box = document.createElement('div');
      box.style.colorScheme = 'light dark';
      document.body.append(box);
      const el = await show({ status: 'RECORDING' }, {}, box);
      expect(luminance(rgb(style(part(el, '[part="base"]')).backgroundColor))).to.be.below(0.05);
    } finally {
      await tryEmulate({ colorScheme: 'light' });
    }
  });

  look('is light where the page declares no scheme, as the page itself is, whatever the preference', async function () {
    if (!(await tryEmulate({ colorScheme: 'dark' }))) this.skip();
    try {
      const el = await show({ status: 'RECORDING' });
      expect(style(part(el, '[part="base"]')).backgroundColor).to.equal('rgb(255, 255, 255)');
    } finally {
      await tryEmulate({ colorScheme: 'light' });
    }
  });

  it('pulses the current step, and stops under prefers-reduced-motion', async function () {
    const el = await show({ status: 'RECORDING' });
    const icon = part(el, '.step.current .indicator svg');
    if (launchedWithReducedMotion) {
      // Started with reduced motion (Firefox's preference): no pulse at all.
      expect(style(icon).animationName).to.equal('none');
      return;
    }
    expect(style(icon).animationName).to.equal('pulse');
    if (!(await tryEmulate({ reducedMotion: 'reduce' }))) this.skip();
    try {
      expect(style(icon).animationName).to.equal('none');
    } finally {
      await tryEmulate({ reducedMotion: 'no-preference' });
    }
  });

  it('keeps complete, current, upcoming and failed distinguishable in forced colours, not by colour alone', async function () {
    if (!(await emulateForcedColors(true))) this.skip();
    try {
      const failedAt = await show({ status: 'ERRORED', file_size: 10 });
      const current = await show({ status: 'RECORDING' });
      const look = (el: RecordingStatusElement, state: string) => {
        const indicator = part(el, `.step.${state} .indicator`);
        return `${style(indicator).borderTopStyle}/${style(indicator).borderTopWidth}/${indicator.innerHTML.replace(/<!--.*?-->/g, '').trim()}`;
      };
      const looks = [
        look(failedAt, 'complete'),
        look(current, 'current'),
        look(failedAt, 'upcoming'),
        look(failedAt, 'failed'),
      ];
      expect(new Set(looks).size).to.equal(4);
      // Only system colours: CanvasText for the steps, Highlight for the current one.
      const system = (name: string) => {
        const probe = document.createElement('span');
        probe.style.color = name;
        document.body.append(probe);
        const value = style(probe).color;
        probe.remove();
        return value;
      };
      const border = (el: RecordingStatusElement, state: string) =>
        style(part(el, `.step.${state} .indicator`)).borderTopColor;
      expect(border(failedAt, 'complete')).to.equal(system('CanvasText'));
      expect(border(failedAt, 'failed')).to.equal(system('CanvasText'));
      expect(border(failedAt, 'upcoming')).to.equal(system('CanvasText'));
      expect(border(current, 'current')).to.equal(system('Highlight'));
    } finally {
      await emulateForcedColors(false);
    }
  });

  look('reflows at 320 CSS px: vertical by itself, no horizontal scroll', async () => {
    const box = document.createElement('div');
    box.style.width = '320px';
    document.body.append(box);
    const el = await show(
      { status: 'UPLOADING', file_size: 562954240, output_file_name: 'a-rather-long-file-name-for-a-recording.mp4' },
      {},
      box,
    );
    expect(style(part(el, 'ol')).flexDirection).to.equal('column');
    expect(el.scrollWidth).to.be.at.most(el.clientWidth);
    expect(box.scrollWidth).to.be.at.most(320);
  });

  look('is horizontal when wide', async () => {
    const box = document.createElement('div');
    box.style.width = '800px';
    document.body.append(box);
    const el = await show({ status: 'RECORDING' }, {}, box);
    expect(style(part(el, 'ol')).flexDirection).to.equal('row');
  });

  const orientations: [string, string, string][] = [
    ['vertical', '800px', 'column'],
    ['horizontal', '320px', 'row'],
  ];
  for (const [orientation, width, direction] of orientations) {
    look(`orientation="${orientation}" forces ${direction} at ${width}`, async () => {
      const box = document.createElement('div');
      box.style.width = width;
      document.body.append(box);
      const el = await show({ status: 'RECORDING' }, { orientation }, box);
      expect(style(part(el, 'ol')).flexDirection).to.equal(direction);
    });
  }

  look('runs right to left under dir="rtl"', async () => {
    const box = document.createElement('div');
    box.dir = 'rtl';
    box.style.width = '800px';
    document.body.append(box);
    const el = await show({ status: 'RECORDING' }, {}, box);
    const [first, , , last] = [...el.shadowRoot!.querySelectorAll('li')].map((li) => li.getBoundingClientRect());
    expect(first!.left).to.be.greaterThan(last!.left);
  });

  look('takes its colours, font and radius from custom properties', async () => {
    const el = await show({ status: 'RECORDING' });
    el.style.setProperty('--recording-status-accent', 'rgb(1, 2, 3)');
    el.style.setProperty('--recording-status-success', 'rgb(4, 5, 6)');
    el.style.setProperty('--recording-status-surface', 'rgb(250, 250, 240)');
    el.style.setProperty('--recording-status-text', 'rgb(7, 8, 9)');
    el.style.setProperty('--recording-status-font', 'monospace');
    el.style.setProperty('--recording-status-radius', '3px');
    expect(style(part(el, '.step.current .indicator')).borderTopColor).to.equal('rgb(1, 2, 3)');
    expect(style(part(el, '.step.complete .indicator')).borderTopColor).to.equal('rgb(4, 5, 6)');
    expect(style(part(el, '[part="base"]')).backgroundColor).to.equal('rgb(250, 250, 240)');
    expect(style(part(el, '[part="description"]')).color).to.equal('rgb(7, 8, 9)');
    expect(style(el).fontFamily).to.equal('monospace');
    expect(style(part(el, '[part="base"]')).borderTopLeftRadius).to.equal('3px');
  });

  look('exposes parts per step state', async () => {
    const el = await show({ status: 'ERRORED', file_size: null });
    const parts = [...el.shadowRoot!.querySelectorAll('li')].map((li) => li.getAttribute('part'));
    expect(parts).to.deep.equal([
      'step step-complete',
      'step step-failed step-current',
      'step step-upcoming',
      'step step-upcoming',
    ]);
    for (const name of ['steps', 'indicator', 'label', 'description', 'details']) {
      expect(el.shadowRoot!.querySelector(`[part~="${name}"]`), name).to.not.equal(null);
    }
  });

  look('matches :state() custom states and the status attribute', async () => {
    const el = await show({ status: 'PAUSED' });
    expect(el.matches('[status="PAUSED"]')).to.equal(true);
    let supported = true;
    try {
      document.querySelector(':state(paused)');
    } catch {
      supported = false;
    }
    if (supported) {
      expect(el.matches(':state(paused)')).to.equal(true);
      expect(el.matches(':state(recording)')).to.equal(false);
    }
  });

  look('hides the description and details when compact', async () => {
    const el = await show({ status: 'RECORDING' }, { compact: '' });
    expect(style(part(el, '[part="description"]')).display).to.equal('none');
    expect(el.shadowRoot!.querySelector('[part="details"]')).to.equal(null);
  });
});
