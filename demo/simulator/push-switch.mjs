// @ts-check
/**
 * The demo's switch for the server's push: `POST {prefix}/control/push/off` makes `{prefix}/events` answer 404,
 * as a host whose proxy has no push would, and ends the streams already open, so the widgets on the page fall
 * back to polling at once, with no error shown.
 * `POST {prefix}/control/push/on` restores it; `GET {prefix}/control/push` says which. Demo-only.
 */

/**
 * @param {string} prefix
 * @returns {{ on: boolean, middleware: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void }}
 */
export function pushSwitch(prefix) {
  /** @type {Set<import('node:http').ServerResponse>} */
  const open = new Set();
  const state = {
    on: true,
    /** @type {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void} */
    middleware: (req, res, next) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const json = (/** @type {number} */ status, /** @type {unknown} */ body) =>
        res
          .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
          .end(JSON.stringify(body));
      if (path === `${prefix}/control/push`) {
        json(200, { push: state.on });
        return;
      }
      const set = /^\/control\/push\/(on|off)$/.exec(path.slice(prefix.length));
      if (path.startsWith(`${prefix}/`) && set && req.method === 'POST') {
        state.on = set[1] === 'on';
        if (!state.on) for (const stream of open) stream.destroy();
        json(200, { push: state.on });
        return;
      }
      if (path === `${prefix}/events` && state.on) {
        open.add(res);
        res.once('close', () => open.delete(res));
      }
      if (path === `${prefix}/events` && !state.on) {
        json(404, {
          success: false,
          error: { code: 404, message: 'This proxy has no push (switched off in the demo).' },
        });
        return;
      }
      next();
    },
  };
  return state;
}
