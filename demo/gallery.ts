/**
 * The gallery: fixed answers for every state, served by a stub of this page's fetch, so each element shows
 * one state and stays there.
 */
import '../src/define.js';
import { byId } from './dom.js';

const base = {
  session_id: 'b1e0c7d2-3a4f-4b6e-8c9d-0e1f2a3b4c5d',
  invoked_time: new Date(Date.now() - 40 * 60_000).toISOString(),
  started_time: new Date(Date.now() - 39 * 60_000).toISOString(),
  stopped_time: null,
  download_url: null,
  download_url_expiry: null,
  audio_download_url: null,
  file_size: null,
  output_file_name: 'weekly-sync.mp4',
  recording_duration: 0,
};
const stopped = { stopped_time: new Date(Date.now() - 8 * 60_000).toISOString(), recording_duration: 1867 };

interface Answer {
  status: number;
  body: unknown;
}
const one = (fields: Record<string, unknown>): Answer => ({
  status: 200,
  body: { success: true, data: { ...base, ...fields } },
});

const STATES: [string, string, Answer | 'hang' | 'offline'][] = [
  ['loading', 'Loading (first answer pending)', 'hang'],
  [
    'none',
    'A meeting with no recording yet',
    { status: 200, body: { success: true, data: [], paging: { total_count: 0 } } },
  ],
  ['invoked', 'INVOKED', one({ status: 'INVOKED', started_time: null })],
  ['recording', 'RECORDING', one({ status: 'RECORDING' })],
  ['paused', 'PAUSED', one({ status: 'PAUSED' })],
  ['uploading', 'UPLOADING', one({ status: 'UPLOADING', ...stopped, file_size: 562954240 })],
  [
    'uploaded',
    'UPLOADED, with its download link',
    one({
      status: 'UPLOADED',
      ...stopped,
      file_size: 562954240,
      download_url: `${location.origin}/api/downloads/weekly-sync.mp4`,
      download_url_expiry: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    }),
  ],
  ['errored-invoked', 'ERRORED while starting', one({ status: 'ERRORED', started_time: null })],
  ['errored-recording', 'ERRORED while recording', one({ status: 'ERRORED', ...stopped })],
  ['errored-uploading', 'ERRORED while uploading', one({ status: 'ERRORED', ...stopped, file_size: 1000 })],
  ['offline', 'Updates failing: the last good state stays, with a notice', 'offline'],
  [
    'forbidden',
    'Halted: not allowed',
    { status: 403, body: { success: false, error: { code: 403, message: 'Forbidden' } } },
  ],
];

const answers = new Map<string, Answer | 'hang' | 'offline'>(STATES.map(([id, , answer]) => [id, answer]));
const seen = new Set<string>();
const realFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : input.toString(), location.href);
  if (!url.pathname.startsWith('/gallery-proxy/')) return realFetch(input, init);
  const id = url.pathname.endsWith('/recordings')
    ? (url.searchParams.get('meeting_id') ?? '')
    : (url.pathname.split('/').pop() ?? '');
  const key = id.replace(/^(dark|brand|rtl|fr)-/, '');
  let answer = answers.get(key);
  // The "offline" card shows a good state first, then fails from the second poll on.
  if (answer === 'offline') answer = seen.has(id) ? 'offline' : one({ status: 'RECORDING' });
  seen.add(id);
  if (answer === 'hang' || answer === undefined) return new Promise<Response>(() => undefined);
  if (answer === 'offline') return Promise.reject(new TypeError('Failed to fetch'));
  const body = answer.body as { data?: unknown };
  // Each card's recording carries its own ID, as a real answer would.
  const withId = body.data && !Array.isArray(body.data) ? { ...body, data: { id, ...body.data } } : body;
  return Promise.resolve(
    new Response(JSON.stringify(withId), { status: answer.status, headers: { 'Content-Type': 'application/json' } }),
  );
};

function card(id: string, caption: string, attributes: Record<string, string> = {}, className = ''): HTMLElement {
  const figure = document.createElement('figure');
  const text = document.createElement('figcaption');
  text.textContent = caption;
  const widget = document.createElement('recording-status');
  widget.setAttribute(id.endsWith('none') ? 'meeting-id' : 'recording-id', id);
  widget.setAttribute('proxy-url', '/gallery-proxy');
  widget.setAttribute('poll-interval', '3000');
  widget.setAttribute('label', 'Weekly sync');
  for (const [name, value] of Object.entries(attributes)) widget.setAttribute(name, value);
  if (className) widget.className = className;
  figure.append(text, widget);
  return figure;
}

const states = byId('states');
for (const [id, caption] of STATES) {
  states.append(card(id, `${caption} (light)`));
  const dark = card(`dark-${id}`, `${caption} (dark)`);
  dark.classList.add('dark');
  states.append(dark);
}

const themed = byId('themed');
for (const id of ['recording', 'uploaded', 'errored-uploading'])
  themed.append(card(`brand-${id}`, `Branded: ${id}`, {}, 'brand'));

const i18n = byId('i18n');
const rtl = document.createElement('div');
rtl.dir = 'rtl';
rtl.lang = 'ar';
rtl.append(card('rtl-uploading', 'dir="rtl", lang="ar": steps run right to left; dates and sizes in Arabic'));
const french = card('fr-uploaded', 'lang="fr" with a French strings table');
french.lang = 'fr';
const frenchWidget = french.querySelector('recording-status');
if (frenchWidget)
  frenchWidget.strings = {
    stepsLabelNamed: '{label} : progression de l’enregistrement',
    stepInvoked: 'Demandé',
    stepRecording: 'Enregistrement',
    stepUploading: 'Envoi',
    stepUploaded: 'Prêt',
    stateComplete: 'terminé',
    stateCurrent: 'en cours',
    stateUpcoming: 'à venir',
    stateFailed: 'échoué',
    describeUploaded: 'L’enregistrement est prêt.',
    detailInvoked: 'Demandé',
    detailStarted: 'Commencé',
    detailStopped: 'Arrêté',
    detailDuration: 'Durée',
    detailFileSize: 'Taille',
    detailFileName: 'Fichier',
    detailsLabel: 'Détails de l’enregistrement',
    download: 'Télécharger l’enregistrement',
    downloadExpires: 'Le lien expire {time}',
  };
i18n.append(rtl, french);
