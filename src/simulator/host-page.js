// @ts-check
/// <reference types="node" />
/**
 * The simulator's stand-in for a host app, for `npx recording-status-server` (which serves no page and no
 * `/token`): a page on the simulator's own origin with a widget per meeting and the simulator's controls beside
 * it, and a `/token` that mints viewer tokens with the server's secret, as a host's app does with
 * `createViewerToken`. The widgets read from the server on its own origin, so the server answers CORS for this one.
 */
import { readFile } from 'node:fs/promises';

const PACKAGE_SERVER = 'recording-status/server';

const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8" />
<title>recording-status: the simulator's page</title>
<style>
  body { font: 16px system-ui, sans-serif; margin: 2rem auto; max-width: 50rem; padding: 0 1rem; }
  section { border-top: 1px solid #ccc; padding: 1rem 0; }
  button { margin: 0.5rem 0.5rem 0 0; }
</style>
<script type="module" src="/recording-status.min.js"></script>
<h1>Recordings, through recording-status-server</h1>
<p>Every widget reads from the server at <code id="server"></code>; the buttons drive the simulated RealtimeKit.</p>
<main></main>
<template>
  <section>
    <h2></h2>
    <recording-status token-endpoint="/token"></recording-status>
    <div>
      <button data-start>Start a recording</button>
      <button data-action="pause">Pause</button>
      <button data-action="resume">Resume</button>
      <button data-action="stop">Stop</button>
      <button data-action="fail">Fail</button>
    </div>
  </section>
</template>
<script type="module">
  const server = document.documentElement.dataset.server;
  document.querySelector('#server').textContent = server;
  const post = (path) => fetch(path, { method: 'POST' });
  const state = await (await fetch('/control/state')).json();
  for (const meeting of state.meetings) {
    const section = document.querySelector('template').content.firstElementChild.cloneNode(true);
    section.querySelector('h2').textContent = meeting.title;
    const widget = section.querySelector('recording-status');
    widget.setAttribute('proxy-url', server);
    widget.setAttribute('meeting-id', meeting.id);
    widget.setAttribute('label', meeting.title);
    widget.setAttribute('poll-interval', '1000');
    section.querySelector('[data-start]').addEventListener('click', async () => {
      await post('/control/meetings/' + encodeURIComponent(meeting.id) + '/recordings');
      void widget.refresh();
    });
    for (const button of section.querySelectorAll('[data-action]')) {
      button.addEventListener('click', async () => {
        const current = (await (await fetch('/control/state')).json()).meetings.find((m) => m.id === meeting.id);
        const newest = current?.recordings[0];
        if (newest) await post('/control/recordings/' + encodeURIComponent(newest.id) + '/' + button.dataset.action);
        void widget.refresh();
      });
    }
    document.querySelector('main').append(section);
  }
</script>
</html>
`;

/**
 * @param {{ serverUrl: string, tokenSecret: string | null }} options
 * @returns {(res: import('node:http').ServerResponse, url: URL) => Promise<boolean>}
 *   answers `/`, `/token` and `/recording-status.min.js`; false for any other path
 */
export function hostPage(options) {
  // The package by its own name: dist/ when installed, and in the repository once it is built.
  const widget = readFile(
    new URL('dist/recording-status.min.js', import.meta.resolve('recording-status/package.json')),
  );
  /** @type {Promise<typeof import('../server/index.js')> | undefined} */
  let server;
  const html = PAGE.replace('<html lang="en">', `<html lang="en" data-server="${encodeURI(options.serverUrl)}">`);
  return async (res, url) => {
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
      return true;
    }
    if (url.pathname === '/recording-status.min.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(await widget);
      return true;
    }
    if (url.pathname === '/token') {
      const recordingId = url.searchParams.get('recording_id');
      const meetingId = url.searchParams.get('meeting_id');
      if (!recordingId === !meetingId) {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            success: false,
            error: { code: 400, message: 'Give one of recording_id and meeting_id.' },
          }),
        );
        return true;
      }
      if (options.tokenSecret === null) {
        res.writeHead(503, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            success: false,
            error: {
              code: 503,
              message: "Start the simulator with the server's RECORDING_STATUS_TOKEN_SECRET to mint viewer tokens.",
            },
          }),
        );
        return true;
      }
      // Everyone may watch everything here, with download links: a real host checks its own session first.
      // A specifier in a variable: resolved at run time only, as the type checker may run before the build.
      server ??= /** @type {Promise<typeof import('../server/index.js')>} */ (import(PACKAGE_SERVER));
      const { createViewerToken } = await server;
      const token = await createViewerToken(
        options.tokenSecret,
        recordingId ? { recordingId } : { meetingId: meetingId ?? '' },
        { ttl: 300, download: true },
      );
      res
        .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
        .end(JSON.stringify({ token, expires_in: 300 }));
      return true;
    }
    return false;
  };
}
