/** Mounts a <recording-status> whose fetch answers from a fixed recording, for style and layout tests. */
import '../../src/define.js';
import type { RecordingStatusElement } from '../../src/recording-status.js';
import { FakeFetch, json, settle } from './fake-env.js';
import { apiRecording, one } from './recordings.js';

const answers = new Map<string, Record<string, unknown>>();
const fake = new FakeFetch((url) => {
  const id = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  return json(one(apiRecording({ id, ...answers.get(id) })));
});
let counter = 0;

/** Shows a recording with the given API fields in a fresh element inside `container` (or the body). */
export async function showRecording(
  fields: Record<string, unknown>,
  attributes: Record<string, string> = {},
  container: HTMLElement = document.body,
): Promise<RecordingStatusElement> {
  // Every time: a test may have put another fetch in place since.
  globalThis.fetch = fake.asGlobal;
  const id = `rec-${++counter}`;
  answers.set(id, fields);
  const el = document.createElement('recording-status');
  el.setAttribute('recording-id', id);
  el.setAttribute('proxy-url', '/proxy');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  container.append(el);
  // The first answer takes a while: the push attempt comes first (a Web Lock for a stream slot, which Chromium
  // grants through its browser process; then this fake proxy's non-stream answer), then the poll. Waited for in
  // message-channel turns, not timers: the visual tests fake the clock.
  for (let turn = 0; turn < 20_000 && el.status === null && el.error === null; turn++) await settle(1);
  if (el.status === null) throw new Error(`showRecording: ${id} never showed (${el.error?.message ?? 'no answer'})`);
  await el.updateComplete;
  return el;
}
