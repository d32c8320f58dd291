/**
 * The environment variables (a process's, or a Worker's bindings) behind the options, as one table: the CLI, the
 * Worker and `serverOptionsFromEnv` read the variables through it, problems name the variable through it, the
 * Worker's bindings type and the CLI's `--help` are derived from it, and so can be the docs' table.
 */
import { defaultViewerBudget } from '../budget.js';
import { DEFAULT_STREAM_LIMITS } from '../feed/stream-caps.js';
import { DEFAULT_WEBHOOK_KEY_URL } from '../webhook/signature.js';
import {
  DEFAULT_API_BASE,
  DEFAULT_BUDGET,
  DEFAULT_FRESH_FOR,
  DEFAULT_TOKEN_TTL,
  type RecordingServerOptions,
  type Settings,
} from './options.js';
import { resolveOptions, type Vocabulary } from './resolve.js';

/** How a variable's text becomes its option: as it is, or as a number (one that does not parse is NaN, reported). */
export type VariableKind = 'text' | 'number';

export interface Variable {
  /** The variable's name. */
  readonly name: string;
  /** The option it sets, a dotted path into `RecordingServerOptions` (`streams.perToken`, `cors.origin`). */
  readonly option: string;
  readonly kind: VariableKind;
  /** Required: a missing one is a problem. */
  readonly required: boolean;
  /** A credential: set it as a secret (`.dev.vars`, `wrangler secret put`), never in a config file. */
  readonly secret: boolean;
  /** The default, in words (empty when required). */
  readonly default: string;
  /** What it is, its unit and the values it takes, in a sentence or two: `--help` and the docs show it. */
  readonly description: string;
  /**
   * How a Worker (`createRecordingWorker`) takes it, when not as a Node process does: the docs say so. `false`: a
   * Worker does not use it.
   */
  readonly worker?: string | false;
}

/** Every variable the server reads, in the order `--help` and the docs list them. */
export const VARIABLES = [
  {
    name: 'REALTIMEKIT_ACCOUNT_ID',
    option: 'accountId',
    kind: 'text',
    required: true,
    secret: false,
    default: '',
    description: 'the Cloudflare account id that holds the RealtimeKit app',
  },
  {
    name: 'REALTIMEKIT_APP_ID',
    option: 'appId',
    kind: 'text',
    required: true,
    secret: false,
    default: '',
    description: 'the RealtimeKit app whose recordings are read',
  },
  {
    name: 'REALTIMEKIT_API_TOKEN',
    option: 'apiToken',
    kind: 'text',
    required: true,
    secret: true,
    default: '',
    description: 'a Cloudflare API token with the Realtime permission; only the server holds it',
  },
  {
    name: 'RECORDING_STATUS_TOKEN_SECRET',
    option: 'tokenSecret',
    kind: 'text',
    required: true,
    secret: true,
    default: '',
    description:
      'the HS256 secret viewer tokens are signed and verified with, at least 32 bytes (openssl rand -hex 32); the app that mints the tokens uses the same one',
  },
  {
    name: 'REALTIMEKIT_API_BASE',
    option: 'apiBase',
    kind: 'text',
    required: false,
    secret: false,
    default: DEFAULT_API_BASE,
    description:
      "RealtimeKit's API base, an absolute http(s) URL; one not ending in /client/v4, or http:// to anything but loopback, is warned of at startup",
  },
  {
    name: 'RECORDING_STATUS_BASE_PATH',
    option: 'basePath',
    kind: 'text',
    required: false,
    secret: false,
    default: "''",
    description: "the routes' prefix: empty, or starting with / and not ending with one, such as /api/recordings",
  },
  {
    name: 'RECORDING_STATUS_CORS_ORIGIN',
    option: 'cors.origin',
    kind: 'text',
    required: false,
    secret: false,
    default: 'off',
    description:
      'answer CORS for this origin (scheme, host and port, such as https://app.example; not *), or for each of a comma-separated list',
  },
  {
    name: 'RECORDING_STATUS_BUDGET',
    option: 'budget',
    kind: 'number',
    required: false,
    secret: false,
    default: String(DEFAULT_BUDGET),
    description:
      'upstream requests a minute this server may send RealtimeKit for the app, a whole number of at least 1 (RealtimeKit allows 1000 a minute per app); Node processes that share no Redis each spend their own',
    worker: 'one budget object (`UPSTREAM_BUDGET`) holds the whole deployment to it, whatever the number of isolates',
  },
  {
    name: 'RECORDING_STATUS_FRESH_FOR',
    option: 'freshFor',
    kind: 'number',
    required: false,
    secret: false,
    default: String(DEFAULT_FRESH_FOR),
    description:
      'milliseconds an upstream answer is reused before the same read asks RealtimeKit again, a positive number',
  },
  {
    name: 'RECORDING_STATUS_TOKEN_TTL',
    option: 'tokenTtl',
    kind: 'number',
    required: false,
    secret: false,
    default: String(DEFAULT_TOKEN_TTL),
    description:
      "seconds a token from the server's own /token lives, a positive number; there is a /token only with authorize in code, so recording-status-server never uses it",
  },
  {
    name: 'RECORDING_STATUS_VIEWER_BUDGET',
    option: 'viewerBudget',
    kind: 'number',
    required: false,
    secret: false,
    default: `a tenth of the budget, ${defaultViewerBudget(DEFAULT_BUDGET)}`,
    description:
      "upstream requests a minute one viewer may cause, a whole number of at least 1; a viewer is a token's subject (sub), else the target of a token minted without one (all of /token's such tokens are one viewer)",
    worker: 'held for the whole deployment by the budget object, as the budget is',
  },
  {
    name: 'RECORDING_STATUS_STREAMS_PER_TOKEN',
    option: 'streams.perToken',
    kind: 'number',
    required: false,
    secret: false,
    default: String(DEFAULT_STREAM_LIMITS.perToken),
    description:
      "open /events streams one viewer token may hold, a whole number of at least 1 (a subject's tokens on one target count as one token); counted per process",
    worker: 'counted per isolate',
  },
  {
    name: 'RECORDING_STATUS_STREAMS_PER_SUBJECT',
    option: 'streams.perSubject',
    kind: 'number',
    required: false,
    secret: false,
    default: String(DEFAULT_STREAM_LIMITS.perSubject),
    description:
      "open /events streams one subject (a token's sub: a signed-in user) may hold on all targets together, a whole number of at least 1; counted per process",
    worker: 'counted per isolate',
  },
  {
    name: 'RECORDING_STATUS_STREAMS_PER_TARGET',
    option: 'streams.perTarget',
    kind: 'number',
    required: false,
    secret: false,
    default: String(DEFAULT_STREAM_LIMITS.perTarget),
    description: 'open /events streams on one recording or meeting, a whole number of at least 1; counted per process',
    worker: 'counted per isolate',
  },
  {
    name: 'RECORDING_STATUS_STREAMS_TOTAL',
    option: 'streams.total',
    kind: 'number',
    required: false,
    secret: false,
    default: String(DEFAULT_STREAM_LIMITS.total),
    description: 'open /events streams in all, a whole number of at least 1; counted per process',
    worker: 'counted per isolate',
  },
  {
    name: 'REALTIMEKIT_WEBHOOK_KEY',
    option: 'webhookKey',
    kind: 'text',
    required: false,
    secret: false,
    default: 'fetched',
    description:
      "RealtimeKit's webhook public key (PEM, SPKI); set, nothing is fetched, and when RealtimeKit rotates its key it must be set again",
  },
  {
    name: 'REALTIMEKIT_WEBHOOK_KEY_URL',
    option: 'webhookKeyUrl',
    kind: 'text',
    required: false,
    secret: false,
    default: DEFAULT_WEBHOOK_KEY_URL,
    description:
      "where RealtimeKit's webhook key is fetched (JSON, its data.publicKey), an absolute http(s) URL; http:// to anything but loopback is warned of at startup",
  },
  {
    name: 'RECORDING_STATUS_REDIS_URL',
    option: 'redis',
    kind: 'text',
    required: false,
    // A Redis URL may carry a password.
    secret: true,
    default: 'none: one process',
    description:
      'a redis:// or rediss:// URL: Node replicas share pushes, state and the budget through this Redis (npm install redis: node-redis 6)',
    worker: false,
  },
  {
    name: 'RECORDING_STATUS_REDIS_PREFIX',
    option: 'redisPrefix',
    kind: 'text',
    required: false,
    secret: false,
    default: 'recording-status:{account}:{app}:',
    description: 'the prefix of every Redis key and channel, 1 to 200 characters',
    worker: false,
  },
] as const satisfies readonly Variable[];

type Table = (typeof VARIABLES)[number];

/** A binding's value: text, or for a number a JSON number as wrangler binds one from `vars`. */
type BindingValue<V> = V extends { kind: 'number' } ? string | number : string;

/**
 * The variables as a Worker's `Env` has them (its `vars` and secrets): a required one set, the rest optional.
 * Derived from the table: a variable added there is a binding here.
 */
export type VariableBindings = {
  readonly [V in Extract<Table, { required: true }> as V['name']]: BindingValue<V>;
} & {
  readonly [V in Extract<Table, { required: false }> as V['name']]?: BindingValue<V>;
};

export type ServerEnvironment = Readonly<Record<string, unknown>>;

/** Problems in variables' words: each option by its variable's name, "is not set" for a missing one. */
const BY_VARIABLE: Vocabulary = {
  name: (option) => VARIABLES.find((v) => v.option === option)?.name ?? option,
  unset: 'is not set',
};

/** Sets `value` at a dotted path, making the objects on the way. */
function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const inner = (target[head] ??= {}) as Record<string, unknown>;
  setAt(inner, rest.join('.'), value);
}

/**
 * A variable's value as its option takes it. Process variables are text; a Worker's `vars` may be JSON, which
 * wrangler binds as it is (`"RECORDING_STATUS_BUDGET": 300` is the number 300): a number is taken for a number
 * (and as its digits for text). Anything else (a number that does not parse, `true`, an object) becomes NaN, which
 * no option accepts, so that {@link settingsFromEnv} names the variable with the rest rather than use a default.
 */
function fromBinding(kind: VariableKind, raw: unknown): unknown {
  if (typeof raw === 'string') return kind === 'text' ? raw : raw.trim() === '' ? NaN : Number(raw);
  if (typeof raw === 'number') return kind === 'text' ? String(raw) : raw;
  return NaN;
}

/**
 * The options environment variables (or Worker bindings) give; a value of the wrong kind is kept as NaN (see
 * `fromBinding`), and a required variable unset is an empty string.
 */
export function optionsFromEnv(env: ServerEnvironment): RecordingServerOptions {
  const options: Record<string, unknown> = {};
  for (const variable of VARIABLES) {
    const raw = env[variable.name];
    if (raw === undefined || raw === null || raw === '') {
      if (variable.required) setAt(options, variable.option, '');
      continue;
    }
    setAt(options, variable.option, fromBinding(variable.kind, raw));
  }
  // Built from the table, whose paths are the options' own.
  return options as unknown as RecordingServerOptions;
}

/**
 * Settings from environment variables (the CLI) or bindings (a Worker), with the host's code-only options;
 * a {@link ConfigurationError} names the variables, every missing or invalid one at once.
 */
export function settingsFromEnv(
  env: ServerEnvironment,
  who: string,
  code: Pick<RecordingServerOptions, 'authorize' | 'log'> = {},
): Settings {
  return resolveOptions({ ...optionsFromEnv(env), ...code }, who, BY_VARIABLE);
}

/**
 * The options in the variables `recording-status-server` and the Worker read (`REALTIMEKIT_ACCOUNT_ID`, …), for
 * a host's own process: `createRecordingServer({ ...serverOptionsFromEnv(process.env), authorize })`. Every
 * missing or invalid variable is a {@link ConfigurationError} that names them all, never a value.
 */
export function serverOptionsFromEnv(env: ServerEnvironment): RecordingServerOptions {
  const options = optionsFromEnv(env);
  resolveOptions(options, 'recording-status', BY_VARIABLE);
  return options;
}

/** A line of `--help`: a variable, what it is, its default or that it is required, and whether it is a secret. */
export type HelpRow = Pick<Variable, 'name' | 'required' | 'default' | 'description'> &
  Partial<Pick<Variable, 'secret'>>;

/** The columns `--help` wraps at: a terminal's width, near enough. */
const HELP_WIDTH = 100;

/** Words filled into lines of `width` columns, each line after the first indented by `indent`. */
function wrap(words: readonly string[], indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/**
 * The variables as `--help` lists them: the required ones, then `extra` (a command's own), then the rest; each
 * description wrapped beside its name, its default (or that it is required) one note at its end, never broken.
 */
export function variablesHelp(extra: readonly HelpRow[] = []): string {
  const rows: HelpRow[] = [...VARIABLES.filter((v) => v.required), ...extra, ...VARIABLES.filter((v) => !v.required)];
  const width = Math.max(...rows.map((v) => v.name.length)) + 2;
  return rows
    .map((v) => {
      const note = `(${v.required ? 'required' : `default ${v.default}`}${v.secret === true ? '; a secret' : ''})`;
      return `  ${v.name.padEnd(width)}${wrap([...v.description.split(' '), note], width + 2, HELP_WIDTH)}`;
    })
    .join('\n');
}
