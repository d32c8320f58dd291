import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  DEFAULT_POLL_INTERVAL,
  DEFAULT_REQUEST_TIMEOUT,
  MAX_POLL_INTERVAL,
  MAX_REQUEST_TIMEOUT,
  parseMilliseconds,
  streamRequest,
  type Transport,
} from './config.js';
import { RecordingStatusChangeEvent, RecordingStatusErrorEvent, type RecordingStatusErrorDetail } from './events.js';
import { languageOf } from './i18n/format.js';
import { fill, pascal, resolveStrings, type Strings } from './i18n/strings.js';
import {
  NOTHING_SHOWN,
  STATUSES,
  advance,
  stepStates,
  type Recording,
  type RecordingStatus,
  type Shown,
} from './lifecycle.js';
import { RecordingStreamController, sameTarget, type StreamRequest } from './stream/controller.js';
import { sharedRegistry } from './stream/registry.js';
import { LOADING, type Connection, type StreamState } from './stream/recording-stream.js';
import { styles } from './recording-status.styles.js';
import { sharedAnnouncer } from './view/announcer.js';
import { renderDetails, renderDownload } from './view/details.js';
import { noticeText, renderNotice } from './view/notice.js';
import { renderStepper } from './view/stepper.js';
import { pageTicker, type TickUnit } from './view/ticker.js';

const millisecondsAttribute = (fallback: number, max: number) => ({
  fromAttribute: (value: string | null) => parseMilliseconds(value, fallback, max),
  toAttribute: (value: number) => String(value),
});

/**
 * Shows where a Cloudflare RealtimeKit recording is in its lifecycle (requested, recording, uploading,
 * ready, or failed) as an accessible stepper, following the host's backend proxy: by push (Server-Sent Events)
 * where it offers it, by polling otherwise.
 *
 * @summary An accessible, live status stepper for a RealtimeKit recording.
 *
 * @tagname recording-status
 *
 * @attr recording-id - Track this one recording. Wins over `meeting-id`.
 * @attr meeting-id - Track the newest recording (latest `invoked_time`) of this meeting.
 * @attr proxy-url - Base URL (relative or absolute) of the host's backend proxy. Required with an ID.
 * @attr token-endpoint - Optional URL of the host's token endpoint; its token is sent as a bearer token.
 * @attr poll-interval - Milliseconds between polls: default 5000, clamped to 1000–3600000 (one hour).
 * @attr request-timeout - Milliseconds before a request is aborted: default 15000, clamped to 1000–300000.
 * @attr transport - `auto` (default): follow `{proxy-url}/events` where the proxy offers push, poll otherwise;
 *   `poll`: never open an event stream. Anything else is `auto`.
 * @attr connection - Reflects how updates arrive (read-only): `push`, `poll`, or absent while idle.
 * @attr label - Names this recording in the stepper's accessible name and in announcements.
 * @attr orientation - `horizontal` or `vertical` forces a layout; by default the element picks by its width.
 * @attr compact - Hides the description and the details.
 * @attr status - Reflects the shown status (read-only); absent while no recording is known.
 *
 * @fires {RecordingStatusChangeEvent} recording-status-change - The shown status changed, including the first one
 *   known. `detail: { status, previousStatus, recording }` (RecordingStatusChangeDetail).
 * @fires {RecordingStatusErrorEvent} recording-status-error - An attempt to get the status failed.
 *   `detail: { kind, message, httpStatus?, willRetry, retryIn? }` (RecordingStatusErrorDetail).
 *
 * @csspart base - The wrapper of everything; carries `aria-busy` while loading.
 * @csspart steps - The `<ol>` of steps.
 * @csspart step - Each `<li>` step.
 * @csspart step-complete - A completed step (also the last step once uploaded).
 * @csspart step-current - The step the recording is at (with `aria-current="step"`).
 * @csspart step-upcoming - A step not started yet.
 * @csspart step-failed - The step where an ERRORED recording failed.
 * @csspart indicator - A step's status shape.
 * @csspart label - A step's visible label.
 * @csspart description - The one-line description of the current state.
 * @csspart details - The `<dl>` of times, duration, size and file name.
 * @csspart download - The download link, once uploaded.
 * @csspart notice - The notice shown while updates fail.
 * @csspart retry - The notice's "Retry now" button.
 *
 * @cssprop [--recording-status-accent=#1d4ed8 / #79b8ff] - The current step, links and focus rings.
 * @cssprop [--recording-status-success=#15803d / #56d364] - Completed steps.
 * @cssprop [--recording-status-danger=#b91c1c / #ff7b72] - Failed steps and the notice.
 * @cssprop [--recording-status-muted=#57606a / #9da7b3] - Steps not started and secondary text.
 * @cssprop [--recording-status-surface=#ffffff / #161b22] - The background.
 * @cssprop [--recording-status-text=#1f2328 / #e6edf3] - The text.
 * @cssprop [--recording-status-font=system-ui, sans-serif] - The font family.
 * @cssprop [--recording-status-radius=0.5rem] - Corner radius of the element and its controls.
 */
export class RecordingStatusElement extends LitElement {
  static override styles = styles;

  /**
   * Registers the element as `tag` (default `recording-status`) in `registry`; a second tag gets a subclass.
   * Does nothing when this class already holds the tag, and warns, without throwing, when another class
   * (another copy or version of this package) does: the page keeps working with the first.
   */
  static define(tag = 'recording-status', registry: CustomElementRegistry = customElements): void {
    const existing = registry.get(tag);
    if (existing === undefined) {
      try {
        registry.define(tag, this);
      } catch {
        // A class may hold only one tag per registry: a second tag gets a subclass of its own.
        registry.define(tag, class extends this {});
      }
    } else if (existing !== this && !(existing.prototype instanceof this)) {
      console.warn(`<${tag}> is already defined by another class; keeping it.`);
    }
  }

  /** Track this one recording. Wins over `meetingId`. */
  @property({ attribute: 'recording-id' }) recordingId: string | null = null;

  /** Track the newest recording of this meeting. */
  @property({ attribute: 'meeting-id' }) meetingId: string | null = null;

  /** Base URL of the host's backend proxy, relative or absolute. */
  @property({ attribute: 'proxy-url' }) proxyUrl: string | null = null;

  /** URL of the host's token endpoint, if its proxy wants a bearer token. */
  @property({ attribute: 'token-endpoint' }) tokenEndpoint: string | null = null;

  /** Milliseconds between polls: default 5000, clamped to 1000–3600000, junk falls back to the default. */
  @property({
    type: Number,
    attribute: 'poll-interval',
    converter: millisecondsAttribute(DEFAULT_POLL_INTERVAL, MAX_POLL_INTERVAL),
  })
  pollInterval: number = DEFAULT_POLL_INTERVAL;

  /** Milliseconds before a proxy or token request is aborted: default 15000, clamped to 1000–300000. */
  @property({
    type: Number,
    attribute: 'request-timeout',
    converter: millisecondsAttribute(DEFAULT_REQUEST_TIMEOUT, MAX_REQUEST_TIMEOUT),
  })
  requestTimeout: number = DEFAULT_REQUEST_TIMEOUT;

  /**
   * `auto` (default) follows the proxy's pushed events where it offers them and polls otherwise; `poll` never
   * opens an event stream. Junk falls back to `auto`.
   */
  @property() transport: Transport = 'auto';

  /** Names the recording for assistive technology, e.g. "Weekly sync". */
  @property() label: string | null = null;

  /** Forces a layout; by default the stepper turns vertical when the element is narrow. */
  @property({ reflect: true }) orientation: 'horizontal' | 'vertical' | null = null;

  /** Hides the description and the details. */
  @property({ type: Boolean, reflect: true }) compact = false;

  @state() private _stream: StreamState | null = null;
  /** What is on screen: never moves backwards, even across disconnects and restarted streams. */
  @state() private _shown: Shown = NOTHING_SHOWN;
  @state() private _configError: RecordingStatusErrorDetail | null = null;
  @state() private _strings: Strings = resolveStrings(null);

  readonly #controller = new RecordingStreamController(this, sharedRegistry, {
    onState: (next) => {
      this._stream = next;
      this._shown = advance(this._shown, next.recording, next.failedAt);
    },
    onError: (error) => {
      this.#pendingErrors.push(error);
      // Config errors come from no stream, so they are held here; stream errors arrive inside its state.
      if (error.kind === 'config') this._configError = error;
      this.requestUpdate();
    },
    onConnection: (connection) => {
      this.#connection = connection;
      if (connection === null) this.removeAttribute('connection');
      else this.setAttribute('connection', connection);
    },
  });
  #connection: Connection = null;
  readonly #internals: ElementInternals | null =
    typeof this.attachInternals === 'function' ? this.attachInternals() : null;
  #request: StreamRequest = { kind: 'idle' };
  #pendingErrors: RecordingStatusErrorDetail[] = [];
  #shown: { status: RecordingStatus | null; id: string | null } = { status: null, id: null };
  #announcedProblem: string | null = null;

  /** The shown status in the API's spelling, or `null` while no recording is known. */
  get status(): RecordingStatus | null {
    return this._shown.recording?.status ?? null;
  }

  /**
   * How updates arrive: `'push'` (an open event stream), `'poll'`, or `null` while idle (no target, a final
   * status, a halting error, or disconnected). Reflected as the `connection` attribute, for styling.
   */
  get connection(): Connection {
    return this.#connection;
  }

  /** The last validated recording, normalised to camelCase, or `null`. */
  get recording(): Recording | null {
    return this._shown.recording;
  }

  /** The last error, or `null` once an update succeeds again. */
  get error(): RecordingStatusErrorDetail | null {
    return this._configError ?? this._stream?.error ?? null;
  }

  /**
   * Every visible and announced string in effect (defaults merged with overrides). Set a partial object to
   * override some; unknown keys are ignored.
   */
  get strings(): Strings {
    return this._strings;
  }
  set strings(overrides: Partial<Strings> | null | undefined) {
    this._strings = resolveStrings(overrides);
  }

  /** Polls now; also restarts polling that an error or a final status had stopped. */
  async refresh(): Promise<void> {
    await this.#controller.refresh();
    await this.updateComplete;
  }

  override connectedCallback(): void {
    // The controller must know what to watch before it connects.
    this.#configure();
    super.connectedCallback();
    // Back on the page: tick again.
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Every way out of the page leaves the page-wide singletons: they hold connected elements only.
    pageTicker.delete(this);
    sharedAnnouncer().forget(this);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const configKeys = [
      'recordingId',
      'meetingId',
      'proxyUrl',
      'tokenEndpoint',
      'pollInterval',
      'requestTimeout',
      'transport',
    ];
    if (configKeys.some((key) => changed.has(key as keyof RecordingStatusElement))) this.#configure();
  }

  #configure(): void {
    // Server rendering (Lit SSR) has no document; relative URLs are resolved again once connected.
    const next = streamRequest(this, typeof document === 'undefined' ? 'http://localhost/' : document.baseURI);
    const previous = this.#request;
    this.#request = next;
    if (!sameTarget(previous, next)) {
      // A new target starts from nothing: the old recording must not stand in for the new one, and errors
      // about the old one must not be reported after the change.
      this._stream = next.kind === 'watch' ? LOADING : null;
      this._shown = NOTHING_SHOWN;
      this._configError = null;
      this.#pendingErrors = [];
    }
    this.#controller.configure(next);
  }

  protected override updated(): void {
    const recording = this.recording;
    const status = recording?.status ?? null;
    const id = recording?.id ?? null;
    if (status !== this.#shown.status || id !== this.#shown.id) {
      const previousStatus = id === this.#shown.id ? this.#shown.status : null;
      this.#shown = { status, id };
      this.#reflect(status);
      if (recording !== null && status !== null) {
        this.dispatchEvent(new RecordingStatusChangeEvent({ status, previousStatus, recording }));
        this.#announceStatus(recording);
      }
    }
    const errors = this.#pendingErrors;
    this.#pendingErrors = [];
    for (const error of errors) this.dispatchEvent(new RecordingStatusErrorEvent(error));
    this.#announceProblem();
    // Lit runs the first update of an element removed in the task that added it after disconnectedCallback:
    // registering then would keep it alive, and re-rendering every second, for the life of the page.
    if (!this.isConnected) return;
    pageTicker.set(this, this.#tickUnit(), this.#linkExpiry());
  }

  #reflect(status: RecordingStatus | null): void {
    if (status === null) this.removeAttribute('status');
    else this.setAttribute('status', status);
    const states = this.#internals?.states;
    if (!states) return;
    try {
      for (const s of STATUSES) states.delete(s.toLowerCase());
      if (status !== null) states.add(status.toLowerCase());
    } catch {
      // Older engines only accept `--dashed` custom state names; the status attribute still works there.
    }
  }

  #announceStatus(recording: Recording): void {
    // An element off the page says nothing: its message would be read for something no one can see.
    if (!this.isConnected) return;
    const strings = this._strings;
    const label = this.label ?? recording.meetingTitle;
    const statusWord = strings[`status${pascal(recording.status)}`];
    const message = label
      ? fill(strings.announceNamed, { label, status: statusWord })
      : fill(strings.announce, { status: statusWord });
    sharedAnnouncer().announce(this, message, recording.status === 'ERRORED' ? 'assertive' : 'polite');
  }

  /** Says a problem once when it appears or changes kind, not on every retry. */
  #announceProblem(): void {
    // Off the page, nothing is said, and nothing counts as said: the problem is announced once it is back.
    if (!this.isConnected) return;
    const error = this.error;
    const key = error ? `${error.kind}:${error.willRetry}` : null;
    if (key === this.#announcedProblem) return;
    this.#announcedProblem = key;
    if (error) sharedAnnouncer().announce(this, noticeText(error, this._strings, languageOf(this)));
  }

  #tickUnit(): TickUnit | null {
    const recording = this.recording;
    if (recording === null) return null;
    if (recording.status === 'RECORDING' || recording.status === 'PAUSED') return this.compact ? null : 'second';
    // Relative times and the download link's expiry age too, but slowly.
    return recording.status === 'UPLOADED' && recording.downloadUrlExpiresAt !== null ? 'minute' : null;
  }

  /** The moment the shown download link expires: it must vanish then, not at the next minute's tick. */
  #linkExpiry(): number | null {
    const recording = this.recording;
    if (recording?.status !== 'UPLOADED' || recording.downloadUrl === null) return null;
    return recording.downloadUrlExpiresAt?.getTime() ?? null;
  }

  #description(): string {
    const strings = this._strings;
    const stream = this._stream;
    if (stream === null) return strings.describeIdle;
    if (this.recording !== null) return strings[`describe${pascal(this.recording.status)}`];
    return stream.phase === 'loading' ? strings.describeLoading : strings.describeEmpty;
  }

  protected override render(): TemplateResult {
    const strings = this._strings;
    const lang = languageOf(this);
    const now = Date.now();
    const recording = this.recording;
    const status = recording?.status ?? null;
    const error = this.error;
    const model = recording ? { recording, now, lang, strings } : null;
    return html`<div part="base" class="base" aria-busy=${this._stream?.phase === 'loading' ? 'true' : 'false'}>
      ${renderStepper({
        steps: stepStates(status, this._shown.failedAt ?? 'INVOKED'),
        paused: status === 'PAUSED',
        label: this.label ?? recording?.meetingTitle ?? null,
        strings,
      })}
      <p part="description" class="description">${this.#description()}</p>
      ${model && !this.compact ? renderDetails(model) : nothing} ${model ? renderDownload(model) : nothing}
      ${error ? renderNotice(error, strings, lang, () => void this.refresh()) : nothing}
    </div>`;
  }
}
