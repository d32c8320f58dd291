import {
  createRecordingServer,
  createTokenHandler,
  serverOptionsFromEnv,
  type RecordingServer,
  type TokenHandler,
} from 'recording-status/server';

let server: RecordingServer | undefined;
let tokenHandler: TokenHandler | undefined;

/**
 * The one recording server of this process, made at the first request rather than at import: `next build`
 * imports route modules, and the build need not have the secrets.
 */
export function recordings(): RecordingServer {
  server ??= createRecordingServer({ ...serverOptionsFromEnv(process.env), basePath: '/api/recordings' });
  return server;
}

/** The widget's token endpoint, made at the first request too. */
export function tokens(): TokenHandler {
  tokenHandler ??= createTokenHandler({
    secret: serverOptionsFromEnv(process.env).tokenSecret,
    // Who may watch what: your own check goes here (this one lets in anyone signed in, for any meeting or
    // recording, without download links). The subject gives each user their own share of the upstream budget.
    authorize: (request) => {
      const user = /(?:^|;\s*)session=([\w-]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
      return user === undefined ? false : { subject: user };
    },
  });
  return tokenHandler;
}
