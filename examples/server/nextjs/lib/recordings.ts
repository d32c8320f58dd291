import { createRecordingServer, serverOptionsFromEnv, type RecordingServer } from 'recording-status/server';

let server: RecordingServer | undefined;

/**
 * The one recording server of this process, made at the first request rather than at import: `next build`
 * imports route modules, and the build need not have the secrets.
 */
export function recordings(): RecordingServer {
  server ??= createRecordingServer({
    ...serverOptionsFromEnv(process.env),
    basePath: '/api/recordings',
    // Your own session check goes here; this one lets in whoever opened the page (it sets the cookie).
    authorize: (request) => {
      const session = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
      // The session names the user: all of one user's tokens share one budget share, whatever they name.
      return session === undefined ? false : { download: false, subject: session };
    },
  });
  return server;
}
