/**
 * The demo page: one simulated meeting at a time (picked, and remembered in the URL as `?meeting=…`), its widgets
 * for the meeting and each recording, buttons that drive the simulator, and a log of every event the widgets fire.
 * Everything is built with DOM APIs; nothing is parsed as HTML.
 */
import '../src/define.js';
import { byId } from './dom.js';
import type { RecordingStatusElement } from '../src/index.js';

interface ApiRecording {
  id: string;
  status: string;
  output_file_name: string;
}
interface State {
  meetings: { id: string; title: string; recordings: ApiRecording[] }[];
  fault: string;
}

const PROXY = '/api';
const TOKEN = '/api/token';
/** `?transport=poll` sets the widgets' `transport` attribute: they poll; by default they follow the server's push. */
const POLL = new URLSearchParams(location.search).get('transport') === 'poll';
/**
 * The meeting on show (`?meeting=…`; the first one when absent or unknown). Only its widgets are in the DOM: over
 * HTTP/1.1 the widgets hold at most two event streams per proxy origin, so the meeting and the recording being walked
 * get them both, and a removed widget gives its stream back.
 */
let selected = new URLSearchParams(location.search).get('meeting');

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) if (value !== undefined) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

async function control(path: string): Promise<void> {
  const response = await fetch(`/api/control${path}`, { method: 'POST' });
  if (!response.ok) {
    const { error } = (await response.json()) as { error?: string };
    log('control', 'error', error ?? `HTTP ${response.status}`);
  }
  await sync();
}

/** Each widget's `connection` (push, poll, or idle), shown beside it as the host page would style it. */
const connections = new MutationObserver((records) => {
  for (const record of records) if (record.target instanceof Element) showConnection(record.target);
  showConnections();
});

function showConnection(node: Element): void {
  const label = node.nextElementSibling;
  if (label instanceof HTMLElement && label.classList.contains('via')) {
    label.textContent = `connection: ${node.getAttribute('connection') ?? 'idle'}`;
  }
}

/** A widget and, below it, how its updates arrive. */
function widget(attributes: Record<string, string>): HTMLElement {
  const node = document.createElement('recording-status');
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.setAttribute('proxy-url', PROXY);
  node.setAttribute('token-endpoint', TOKEN);
  // Polling (asked for, or while push cannot) looks every second in the demo.
  node.setAttribute('poll-interval', '1000');
  if (POLL) node.setAttribute('transport', 'poll');
  connections.observe(node, { attributeFilter: ['connection'] });
  const wrapper = el('div', { class: 'widget' }, node, el('span', { class: 'via' }, 'connection: idle'));
  showConnection(node);
  return wrapper;
}

/** How many widgets follow a push stream, and how many poll. */
function showConnections(): void {
  const widgets = [...document.querySelectorAll('recording-status')];
  const count = (value: string) => widgets.filter((w) => w.getAttribute('connection') === value).length;
  byId('stat-connections').textContent = `${count('push')} push, ${count('poll')} poll`;
}

let refreshing = false;
let refreshAgain = false;
/** One page refresh at a time, however many widgets heard of the same change; one more if a change came meanwhile. */
function refreshPage(): void {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  void Promise.all([sync(), showStats()]).finally(() => {
    refreshing = false;
    if (refreshAgain) {
      refreshAgain = false;
      refreshPage();
    }
  });
}

/** The card on show: one meeting, its list of recordings, and a row per recording. */
let shown: {
  meetingId: string;
  card: HTMLElement;
  list: HTMLElement;
  rows: Map<string, { row: HTMLElement; buttons: HTMLButtonElement[] }>;
} | null = null;

const ACTIONS = [
  ['pause', ['RECORDING']],
  ['resume', ['PAUSED']],
  ['stop', ['INVOKED', 'RECORDING', 'PAUSED']],
  ['fail', ['INVOKED', 'RECORDING', 'PAUSED', 'UPLOADING']],
] as const;

function meetingCard(meeting: State['meetings'][number]): NonNullable<typeof shown> {
  const list = el('ul', { class: 'recordings' });
  const start = el('button', { type: 'button' }, 'Start a recording');
  start.addEventListener('click', () => void control(`/meetings/${encodeURIComponent(meeting.id)}/recordings`));
  const card = el(
    'article',
    { class: 'meeting' },
    el('h3', {}, meeting.title),
    el('p', { class: 'hint' }, 'Newest recording of this meeting (meeting-id):'),
    widget({ 'meeting-id': meeting.id, label: meeting.title }),
    start,
    el('h4', {}, 'Each recording (recording-id)'),
    list,
  );
  return { meetingId: meeting.id, card, list, rows: new Map() };
}

function recordingRow(meetingTitle: string, recording: ApiRecording) {
  const buttons = ACTIONS.map(([action]) => {
    const button = el(
      'button',
      { type: 'button', 'data-action': action },
      action.charAt(0).toUpperCase() + action.slice(1),
    );
    button.addEventListener('click', () => void control(`/recordings/${encodeURIComponent(recording.id)}/${action}`));
    return button;
  });
  const row = el(
    'li',
    {},
    widget({ 'recording-id': recording.id, label: `${meetingTitle}, ${recording.output_file_name}`, compact: '' }),
    el(
      'div',
      { class: 'actions', role: 'group', 'aria-label': `Controls for ${recording.output_file_name}` },
      ...buttons,
    ),
  );
  return { row, buttons };
}

const picker = byId('meeting-picker') as HTMLSelectElement;
let lastState: State | null = null;

/** The picker lists every meeting; the page shows the selected one's card, built anew when the choice changes. */
function render(state: State): void {
  lastState = state;
  const meeting = state.meetings.find((m) => m.id === selected) ?? state.meetings[0];
  if (!meeting) return;
  if (picker.options.length !== state.meetings.length) {
    picker.replaceChildren(...state.meetings.map((m) => el('option', { value: m.id }, m.title)));
  }
  picker.value = meeting.id;
  if (shown?.meetingId !== meeting.id) {
    // Removed, not hidden: a disconnected widget closes its stream and frees its slot for the new meeting's.
    shown?.card.remove();
    shown = meetingCard(meeting);
    byId('meetings').append(shown.card);
  }
  for (const recording of meeting.recordings) {
    let entry = shown.rows.get(recording.id);
    if (!entry) {
      entry = recordingRow(meeting.title, recording);
      shown.rows.set(recording.id, entry);
      shown.list.prepend(entry.row);
    }
    for (const button of entry.buttons) {
      const allowed: readonly string[] = ACTIONS.find(([a]) => a === button.dataset.action)?.[1] ?? [];
      button.disabled = !allowed.includes(recording.status);
    }
  }
  const fault = document.querySelector<HTMLInputElement>(`input[name="fault"][value="${state.fault}"]`);
  if (fault) fault.checked = true;
}

async function sync(): Promise<void> {
  render((await (await fetch('/api/control/state')).json()) as State);
}

/** The page's URL with `meeting` and `transport` as given (null drops one), the other kept. */
function pageUrl(changes: Record<string, string | null>): string {
  const params = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) params.delete(name);
    else params.set(name, value);
  }
  const query = params.toString();
  return query ? `?${query}` : location.pathname;
}

/** The hint's transport links keep the meeting on show. */
function updateTransportLinks(): void {
  byId('transport-poll').setAttribute('href', pageUrl({ transport: 'poll' }));
  byId('transport-push').setAttribute('href', pageUrl({ transport: null }));
}

function showMeeting(id: string): void {
  selected = id;
  updateTransportLinks();
  if (lastState) render(lastState);
  void sync();
}

picker.addEventListener('change', () => {
  history.pushState(null, '', pageUrl({ meeting: picker.value }));
  showMeeting(picker.value);
});
addEventListener('popstate', () => {
  showMeeting(new URLSearchParams(location.search).get('meeting') ?? '');
});

const logList = byId('log');
function log(source: string, name: string, text: string): void {
  const time = new Date().toLocaleTimeString();
  logList.prepend(el('li', {}, el('time', {}, time), ' ', el('strong', {}, name), ` ${source}: ${text}`));
  while (logList.childElementCount > 200) logList.lastElementChild?.remove();
}

const sourceOf = (event: Event) => {
  const target = event.target as RecordingStatusElement;
  return target.label ?? target.recordingId ?? target.meetingId ?? 'widget';
};
document.addEventListener('recording-status-change', (event) => {
  const { status, previousStatus } = event.detail;
  log(sourceOf(event), event.type, `${previousStatus ?? '(none)'} → ${status}`);
  // The widgets hear of every change: new recordings get their rows, and buttons their state, from that.
  refreshPage();
});
document.addEventListener('recording-status-error', (event) => {
  const { kind, message, willRetry, retryIn } = event.detail;
  log(sourceOf(event), event.type, `${kind}: ${message}${willRetry ? ` (retry in ${retryIn} ms)` : ' (stopped)'}`);
});
byId('clear-log').addEventListener('click', () => {
  logList.replaceChildren();
});
for (const input of document.querySelectorAll<HTMLInputElement>('input[name="fault"]')) {
  input.addEventListener('change', () => void control(`/fault/${input.value}`));
}
const pushSwitch = byId('push-switch') as HTMLInputElement;
pushSwitch.addEventListener('change', () => void control(`/push/${pushSwitch.checked ? 'on' : 'off'}`));

/** What the backend has cost: RealtimeKit requests stay flat while webhooks keep the widgets current. */
async function showStats(): Promise<void> {
  const stats = (await (await fetch('/api/stats')).json()) as {
    upstreamRequests: number;
    webhooksDelivered: number;
    budgetLeft: number;
    backend: string;
  };
  byId('stat-upstream').textContent = String(stats.upstreamRequests);
  byId('stat-webhooks').textContent = String(stats.webhooksDelivered);
  byId('stat-budget').textContent = String(stats.budgetLeft);
  byId('stat-backend').textContent = stats.backend;
  showConnections();
}

updateTransportLinks();
pushSwitch.checked = ((await (await fetch('/api/control/push')).json()) as { push: boolean }).push;
await sync();
await showStats();
