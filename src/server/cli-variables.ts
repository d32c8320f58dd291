/**
 * The variables `recording-status-server` reads besides the options' own (options/variables.ts): where it
 * listens. A host that serves the handler itself listens where it likes, so these are no option; its `--help` and
 * the docs list them beside the others.
 */
import type { HelpRow } from './options/variables.js';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

export const CLI_VARIABLES = [
  {
    name: 'PORT',
    required: false,
    default: String(DEFAULT_PORT),
    description: 'the port recording-status-server listens on, 0 to 65535; 0 picks a free one',
  },
  {
    name: 'HOST',
    required: false,
    default: DEFAULT_HOST,
    description: 'the address recording-status-server listens on; 0.0.0.0 for every interface',
  },
] as const satisfies readonly HelpRow[];
