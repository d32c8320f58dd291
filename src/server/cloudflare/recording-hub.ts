/**
 * `RecordingHub`: the Durable Object of one target (a recording, or a meeting's newest recording), named after it.
 * A shell around the target's `TargetHub`: it applies the core's effects with one SQL row, one alarm and
 * hibernatable WebSockets (one per viewer's stream), behind typed RPC methods (`stub.read()`, `stub.receive(…)`).
 * Nothing keeps an idle hub awake, and an idle hub always has an alarm that forgets it (see RETAIN_*).
 */
import type { RawRecording } from '../../api/schema.js';
import { activePath, parseTargetKey, recordingPath } from '../../api/rest.js';
import { systemClock, type Clock } from '../../platform.js';
import type { Priority } from '../budget.js';
import type { Settings } from '../options/options.js';
import { resolveOptions } from '../options/resolve.js';
import { optionsFromEnv, type ServerEnvironment } from '../options/variables.js';
import { TargetHub, type Delivery, type Effect, type ReadResult, type TargetState } from '../target-hub.js';
import { Upstream } from '../upstream.js';
import type { RecordingUpdate } from '../webhook/payload.js';
import { DurableObjectBase } from './durable-object.js';
import { BudgetClient } from './budget-client.js';
import type { HubBindings, HubRpc, HubStats, ReceiveAnswer } from './protocol.js';
import { upgradeAnswer, webSocketPair, type CfWebSocket, type DurableObjectState } from './runtime.js';

type HubEnv = HubBindings & ServerEnvironment;

export class RecordingHub extends DurableObjectBase implements HubRpc {
  readonly #ctx: DurableObjectState;
  readonly #env: HubEnv;
  readonly #clock: Clock;
  #core: TargetHub;
  /** The alarm as last set by this object (the runtime's own, read once). */
  #alarmAt: number | null | undefined;
  #upstream: Upstream | null = null;
  #settings: Settings | null = null;
  /** What this object did since it last started: for operators and the benchmark, never for viewers. */
  readonly #stats = { requests: 0, follows: 0, webhooks: 0, messages: 0, alarms: 0, rowsRead: 0, rowsWritten: 0 };

  constructor(ctx: DurableObjectState, env: HubEnv, clock: Clock = systemClock) {
    super(ctx, env);
    this.#ctx = ctx;
    this.#env = env;
    this.#clock = clock;
    this.#core = this.#load();
  }

  /** The target is the object's name; what it stored, if anything (a made-up target stores no table until used). */
  #load(): TargetHub {
    // Each object is named by its target's key (`recording:<id>`, `meeting:<id>`).
    const target = parseTargetKey(this.#ctx.id.name ?? null);
    if (target === null)
      throw new Error('A RecordingHub must be reached by name (getByName): recording:<id> or meeting:<id>.');
    const exists = this.#sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state'").length > 0;
    const row = exists ? this.#sql("SELECT value FROM state WHERE key = 'hub'")[0] : undefined;
    // Written by this class only, from the core's own state.
    const stored = row === undefined ? undefined : (JSON.parse(String(row.value)) as TargetState);
    return new TargetHub(target, stored, this.#clock.now());
  }

  async read(viewer?: string): Promise<ReadResult> {
    this.#stats.requests++;
    const watched = this.#ctx.getWebSockets().length > 0;
    const cached = this.#core.cached(this.#clock.now(), this.#config().freshFor, watched);
    const result = cached ?? (await this.#fetch(false, 'read', viewer));
    await this.#schedule();
    return result;
  }

  async active(viewer?: string): Promise<ReadResult> {
    this.#stats.requests++;
    const path = activePath(this.#core.target.id);
    const answer = this.#core.activeAnswered(await this.#client().get(path, false, 'read', viewer));
    await this.#apply(answer.effect);
    return answer.result;
  }

  inMeeting(recordingId: string): boolean {
    return this.#core.placed(recordingId);
  }

  /** A verified webhook; for a meeting's hub, `recording` is what the recording's own hub now holds. */
  async receive(
    update: RecordingUpdate,
    delivery: Delivery,
    recording: RawRecording | null = null,
  ): Promise<ReceiveAnswer> {
    this.#stats.webhooks++;
    const { verdict, effect } = this.#core.receive(update, delivery, this.#clock.now(), recording);
    if (effect !== null) await this.#apply(effect);
    return { verdict, recording: this.#core.recording };
  }

  async stats(): Promise<HubStats> {
    return {
      ...this.#stats,
      upstream: this.#upstream?.stats ?? null,
      viewers: this.#ctx.getWebSockets().length,
      seq: this.#core.seq,
      alarm: await this.#ctx.storage.getAlarm(),
      bytes: this.#ctx.storage.sql.databaseSize,
    };
  }

  /** A viewer's feed: a WebSocket whose first message is the snapshot, then every change. Only `/follow`. */
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== '/follow') return new Response(null, { status: 404 });
    this.#stats.follows++;
    const first = await this.read(url.searchParams.get('viewer') ?? undefined);
    if (!first.ok) return Response.json(first);
    const [client, server] = webSocketPair();
    this.#ctx.acceptWebSocket(server);
    server.send(JSON.stringify(this.#core.event));
    this.#core.touched(this.#clock.now());
    await this.#schedule();
    return upgradeAnswer(client);
  }

  /** Viewers send nothing; a message is ignored rather than trusted. */
  webSocketMessage(): void {
    return undefined;
  }

  async webSocketClose(socket: CfWebSocket, code: number): Promise<void> {
    try {
      socket.close(code === 1005 ? 1000 : code, 'closed');
    } catch {
      // Already closed from the other side.
    }
    // The closing socket may still be listed; when it was the last, retention starts now (one row, one alarm).
    if (this.#ctx.getWebSockets().some((s) => s !== socket)) return;
    this.#persist(this.#core.touched(this.#clock.now()));
    await this.#schedule(false);
  }

  async webSocketError(socket: CfWebSocket): Promise<void> {
    await this.webSocketClose(socket, 1011);
  }

  async alarm(): Promise<void> {
    this.#stats.alarms++;
    this.#alarmAt = null;
    const action = this.#core.wake(this.#clock.now(), this.#watched);
    if (action === 'forget') {
      await this.#ctx.storage.deleteAll();
      this.#core = new TargetHub(this.#core.target, undefined, this.#clock.now());
      this.#alarmAt = null;
      return;
    }
    if (action === 'reconcile') {
      const seq = this.#core.seq;
      await this.#fetch(true, 'background');
      this.#persist(this.#core.reconciled(seq));
    }
    await this.#schedule();
  }

  /** Sockets still open (a closing one is still listed while its close handler runs). */
  get #watched(): boolean {
    return this.#ctx.getWebSockets().length > 0;
  }

  /**
   * The core's effect, with one row and one alarm: stores, then tells every viewer (the runtime holds the messages
   * until the write is durable), reads upstream if asked to, then re-arms the alarm (always: `'later'` is among the
   * times `nextCheckAt` weighs).
   */
  async #apply(effect: Effect): Promise<void> {
    this.#persist(effect);
    if (effect.tell) {
      const message = JSON.stringify(this.#core.event);
      for (const socket of this.#ctx.getWebSockets()) {
        try {
          socket.send(message);
          this.#stats.messages++;
        } catch {
          // A socket closing as we speak: its close handler tidies up.
        }
      }
    }
    if (effect.read !== 'none' && effect.read !== 'later') await this.#fetch(true, effect.read);
    await this.#schedule();
  }

  /** One row, written only when the core's state changed. */
  #persist(effect: Effect): void {
    if (!effect.persist) return;
    this.#sql('CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
    this.#sql(
      "INSERT INTO state (key, value) VALUES ('hub', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      JSON.stringify(this.#core.state),
    );
  }

  /** The one alarm: the next reconciliation while watched, else the end of retention. */
  async #schedule(watched = this.#watched): Promise<void> {
    const at = this.#core.nextCheckAt(this.#clock.now(), watched);
    if (this.#alarmAt === undefined) this.#alarmAt = await this.#ctx.storage.getAlarm();
    if (this.#alarmAt === at) return;
    this.#alarmAt = at;
    await this.#ctx.storage.setAlarm(at);
  }

  async #fetch(fresh: boolean, priority: Priority = 'read', viewer?: string): Promise<ReadResult> {
    const result = await this.#client().get(recordingPath(this.#core.target), fresh, priority, viewer);
    const answer = this.#core.answered(result, this.#clock.now());
    await this.#apply(answer.effect);
    return answer.result;
  }

  /** Runs a statement, counting the rows it read and wrote (what SQLite storage is billed by). */
  #sql(query: string, ...bindings: (string | number | null)[]): Record<string, unknown>[] {
    const cursor = this.#ctx.storage.sql.exec(query, ...bindings);
    const rows = cursor.toArray();
    this.#stats.rowsRead += cursor.rowsRead;
    this.#stats.rowsWritten += cursor.rowsWritten;
    return rows;
  }

  /** The settings from the bindings, read once per object life. */
  #config(): Settings {
    this.#settings ??= resolveOptions(optionsFromEnv(this.#env), 'RecordingHub');
    return this.#settings;
  }

  /** The upstream client, made on first use: an object that only ever answers from storage needs none. */
  #client(): Upstream {
    if (this.#upstream !== null) return this.#upstream;
    const settings = this.#config();
    const budget = new BudgetClient(this.#env, settings);
    this.#upstream = new Upstream({
      base: settings.upstreamBase,
      apiToken: settings.apiToken,
      // The budget object also keeps whether RealtimeKit was reachable, for /healthz at the edge.
      fetch: budget.reporting(settings.fetch),
      clock: this.#clock,
      budget,
      freshFor: settings.freshFor,
      // An outage is said once per hub with RealtimeKit's host, as in Node (never a credential).
      log: settings.log,
    });
    return this.#upstream;
  }
}
