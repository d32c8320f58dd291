// @ts-check
/**
 * Run by node.test.mjs in a process of its own: a host that started `@hono/node-server` itself (which replaces
 * the global Response) before it imported `recording-status/server/node`. A viewer's event stream must still
 * open, and then carry a change; prints the statuses it saw, one per line, and exits.
 */
import { getRequestListener } from '@hono/node-server';

getRequestListener(() => new Response('the host’s own handler'));
const { setup } = await import('./helpers.mjs');
const { open } = await import('./frames.mjs');
const { listen } = await import('../../dist/server/node.js');

const t = await setup();
const listening = await listen(t.server, { port: 0 });
try {
  const r = t.start();
  const viewer = await open(`${listening.url}/events?recording_id=${r.id}`, await t.token({ recordingId: r.id }));
  console.log((await viewer.recording())?.status);
  await t.clock.advance(3000);
  t.simulator.tick();
  await fetch(`${listening.url}/webhook`, { method: 'POST', ...(await t.delivery(r)) });
  console.log((await viewer.recording())?.status);
  await viewer.reader.cancel();
} finally {
  await listening.close();
}
