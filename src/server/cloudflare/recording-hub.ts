/**
 * `RecordingHub`: the Durable Object of one target (a recording, or a meeting's newest recording). It is the
 * one place in the deployment that holds the target's snapshot and `seq` (in its storage, so a restart never
 * moves a viewer backwards), de-duplicates webhook deliveries, fans changes out to the Worker's viewers over
 * hibernatable WebSockets, and decides when to ask upstream. Nothing keeps an idle hub awake: it sets an alarm
 * only while viewers watch, and sleeps between messages.
 */
import { isTerminal } from '../../lifecycle.js';
import { systemClock, type FetchLike } from '../../platform.js';
import type { Budget, BudgetGrant, Priority } from '../budget.js';
import {
  activeAnswer,
  deliveryKeys,
  isTerminalRecording,
  readThrough,
  RECONCILE_MS,
  reconcileDelay,
  type ReadResult,
} from '../hub.js';
import { optionsFromEnv, resolveOptions, type ServerEnvironment, type Settings } from '../options.js';
import {
  activePath,
  invalidAnswer,
  readAnswer,
  Snapshot,
  upstreamPath,
  type HubTarget,
  type SnapshotState,
} from '../snapshot.js';
import { Upstream, type UpstreamResult } from '../upstream.js';
import { askBudget, parseHubName, TARGET_HEADER, type HubBindings } from './protocol.js';
import type { ReceiveAnswer, ReceiveCall } from './protocol.js';
import { upgradeAnswer, webSocketPair, type CfWebSocket, type DurableObjectState } from './runtime.js';

/**
 * How long a settled hub (its recording UPLOADED or ERRORED, nobody watching) keeps its storage before it
 * forgets everything: a read after that asks RealtimeKit again. Without it every recording ever watched
 * would be billed as stored data forever.
 */
export const RETAIN_SETTLED_MS = 7 * 24 * 3600_000;

/** Delivery keys (a uuid and a digest each) a hub remembers; a recording sees a handful, a meeting a few per recording. */
const MAX_DELIVERIES = 2000;

type HubEnv = HubBindings & ServerEnvironment;

interface StoredHub {
  readonly snapshot: SnapshotState;
  readonly readAt: number | null;
  readonly webhookAt: number | null;
  readonly quietRounds: number;
}

export class RecordingHub {
  readonly #ctx: DurableObjectState;
  readonly #env: HubEnv;
  #target: HubTarget | null = null;
  #snapshot = new Snapshot();
  /**
   * When upstream last answered and a webhook last came, and the reconciliation back-off: stored with the
   * snapshot, since a hub that hibernates between alarms is constructed afresh at each one.
   */
  #readAt = -Infinity;
  #webhookAt = -Infinity;
  /** Times changed and not yet stored: written once at the end of the request or alarm. */
  #dirty = false;
  /** Reconciliations in a row that found nothing new: the alarm comes later each time (see reconcileDelay). */
  #quietRounds = 0;
  /** Storage deleted (a settled hub past its retention): the next request starts afresh. */
  #forgotten = false;
  #deliveriesSincePrune = 0;
  #upstream: Upstream | null = null;
  #settings: Settings | null = null;
  /** What this object did since it last started: for operators and the benchmark, never for viewers. */
  readonly #stats = { requests: 0, follows: 0, webhooks: 0, messages: 0, alarms: 0, rowsRead: 0, rowsWritten: 0 };

  constructor(ctx: DurableObjectState, env: HubEnv) {
    this.#ctx = ctx;
    this.#env = env;
    this.#open();
  }

  /** Creates the tables (if this object has none yet) and loads what it stored. */
  #open(): void {
    // WITHOUT ROWID: the key is the table, so a write is one row, not a row and an index entry (rows written
    // and pages stored are what SQLite storage is billed by).
    this.#sql('CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
    this.#sql('CREATE TABLE IF NOT EXISTS deliveries (uuid TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID');
    const target = this.#load('target');
    this.#target = typeof target === 'string' ? parseHubName(target) : null;
    // Written by this class only, after the schema checked it.
    const stored = this.#load('hub') as StoredHub | undefined;
    if (stored !== undefined) {
      this.#snapshot = new Snapshot(stored.snapshot);
      // JSON has no -Infinity: null stands for "never".
      this.#readAt = stored.readAt ?? -Infinity;
      this.#webhookAt = stored.webhookAt ?? -Infinity;
      this.#quietRounds = stored.quietRounds;
    }
  }

  async fetch(request: Request): Promise<Response> {
    if (this.#forgotten) {
      this.#forgotten = false;
      this.#open();
    }
    const target = this.#know(request.headers.get(TARGET_HEADER));
    if (target === null) return new Response('A hub request must name its target.', { status: 400 });
    const { pathname } = new URL(request.url);
    this.#stats.requests++;
    try {
      return await this.#route(pathname, target, request);
    } finally {
      this.#flush();
    }
  }

  async #route(pathname: string, target: HubTarget, request: Request): Promise<Response> {
    switch (pathname) {
      case '/stats':
        return Response.json({
          ...this.#stats,
          upstream: this.#upstream?.stats ?? null,
          viewers: this.#ctx.getWebSockets().length,
          seq: this.#snapshot.seq,
          alarm: await this.#ctx.storage.getAlarm(),
          bytes: this.#ctx.storage.sql.databaseSize,
        });
      case '/read':
        return Response.json(await this.#read(target));
      case '/active':
        return Response.json(await this.#active(target));
      case '/follow':
        this.#stats.follows++;
        return this.#follow(target);
      case '/receive':
        this.#stats.webhooks++;
        return Response.json(await this.#receive(target, (await request.json()) as ReceiveCall));
      case '/in-meeting': {
        const { recordingId } = (await request.json()) as { recordingId: string };
        if (target.kind !== 'meeting') return Response.json({ seen: false });
        this.#seenTable();
        const rows = this.#sql('SELECT 1 FROM seen WHERE recording_id = ?', recordingId);
        return Response.json({ seen: rows.length > 0 });
      }
      default:
        return new Response(null, { status: 404 });
    }
  }

  /** Viewers send nothing; a message is ignored rather than trusted. */
  webSocketMessage(): void {
    return undefined;
  }

  webSocketClose(socket: CfWebSocket, code: number): void {
    try {
      socket.close(code === 1005 ? 1000 : code, 'closed');
    } catch {
      // Already closed from the other side.
    }
    if (this.#ctx.getWebSockets().every((s) => s === socket)) void this.#idle();
  }

  /** Nobody watches any more: no reconciliation; a settled hub is forgotten after its retention. */
  async #idle(): Promise<void> {
    if (this.#settled()) await this.#ctx.storage.setAlarm(Date.now() + RETAIN_SETTLED_MS);
    else await this.#ctx.storage.deleteAlarm();
  }

  webSocketError(socket: CfWebSocket): void {
    this.webSocketClose(socket, 1011);
  }

  /** While viewers watch and RealtimeKit has been quiet, ask it (a lost webhook heals); else let the hub sleep. */
  async alarm(): Promise<void> {
    const target = this.#target;
    this.#stats.alarms++;
    if (target === null) return;
    if (this.#ctx.getWebSockets().length === 0) {
      // Settled, or a meeting nobody ever asked about (it only kept placements and delivery ids).
      if (this.#settled() || !this.#snapshot.known) await this.#forget();
      return;
    }
    const quietFor = Date.now() - Math.max(this.#webhookAt, this.#readAt);
    if (quietFor >= RECONCILE_MS) {
      const seq = this.#snapshot.seq;
      await this.#fetch(target, true, 'background');
      this.#quietRounds = this.#snapshot.seq === seq ? this.#quietRounds + 1 : 0;
    } else {
      this.#quietRounds = 0;
    }
    this.#dirty = true;
    this.#flush();
    if (this.#finished(target)) return;
    await this.#ctx.storage.setAlarm(Date.now() + reconcileDelay(this.#quietRounds));
  }

  #finished(target: HubTarget): boolean {
    return target.kind === 'recording' && isTerminalRecording(this.#snapshot.raw);
  }

  /** What the hub holds is final: its recording (or its meeting's newest) is UPLOADED or ERRORED. */
  #settled(): boolean {
    return isTerminalRecording(this.#snapshot.raw);
  }

  async #forget(): Promise<void> {
    await this.#ctx.storage.deleteAll();
    this.#target = null;
    this.#snapshot = new Snapshot();
    this.#readAt = -Infinity;
    this.#webhookAt = -Infinity;
    this.#quietRounds = 0;
    this.#dirty = false;
    this.#forgotten = true;
  }

  #know(name: string | null): HubTarget | null {
    const target = parseHubName(name);
    if (target === null) return null;
    if (this.#target === null) {
      this.#target = target;
      this.#save('target', name);
    }
    // An object answers for one target only, whatever a caller says.
    return this.#target.kind === target.kind && this.#target.id === target.id ? this.#target : null;
  }

  /** Runs a statement, counting the rows it read and wrote (what SQLite storage is billed by). */
  #sql(query: string, ...bindings: (string | number | null)[]): Record<string, unknown>[] {
    const cursor = this.#ctx.storage.sql.exec(query, ...bindings);
    const rows = cursor.toArray();
    this.#stats.rowsRead += cursor.rowsRead;
    this.#stats.rowsWritten += cursor.rowsWritten;
    return rows;
  }

  #load(key: string): unknown {
    const row = this.#sql('SELECT value FROM state WHERE key = ?', key)[0];
    return row === undefined ? undefined : (JSON.parse(String(row.value)) as unknown);
  }

  /** Stores the snapshot and its times if anything changed: one row written. */
  #flush(): void {
    if (!this.#dirty || this.#forgotten) return;
    this.#dirty = false;
    const stored: StoredHub = {
      snapshot: this.#snapshot.state,
      readAt: Number.isFinite(this.#readAt) ? this.#readAt : null,
      webhookAt: Number.isFinite(this.#webhookAt) ? this.#webhookAt : null,
      quietRounds: this.#quietRounds,
    };
    this.#save('hub', stored);
  }

  #save(key: string, value: unknown): void {
    this.#sql(
      'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      key,
      JSON.stringify(value),
    );
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
    const ask = (path: string) => askBudget(this.#env, settings.perMinute, path);
    const budget: Budget = {
      grant: async (priority = 'read') => (await (await ask(`/grant?priority=${priority}`)).json()) as BudgetGrant,
    };
    // The budget object also keeps whether RealtimeKit was reachable, for /healthz at the edge.
    const fetch: FetchLike = async (input, init) => {
      try {
        const response = await settings.fetch(input, init);
        void ask('/reached?ok=1').catch(() => undefined);
        return response;
      } catch (error) {
        void ask('/reached?ok=0').catch(() => undefined);
        throw error;
      }
    };
    this.#upstream = new Upstream({
      base: settings.upstreamBase,
      apiToken: settings.apiToken,
      fetch,
      clock: systemClock,
      budget,
      freshFor: settings.freshFor,
    });
    return this.#upstream;
  }

  #read(target: HubTarget): Promise<ReadResult> {
    const times = () => ({ readAt: this.#readAt, webhookAt: this.#webhookAt });
    return readThrough(this.#snapshot, times, Date.now(), this.#config().freshFor, () => this.#fetch(target, false));
  }

  async #active(target: HubTarget): Promise<ReadResult> {
    const result = await this.#client().get(activePath(target.id));
    return activeAnswer(result, (recordingId) => {
      this.#see(recordingId);
    });
  }

  /** The snapshot as the socket's first message, then every change: accepted and sent in one step. */
  async #follow(target: HubTarget): Promise<Response> {
    const first = await this.#read(target);
    if (!first.ok) return Response.json(first);
    const [client, server] = webSocketPair();
    this.#ctx.acceptWebSocket(server);
    server.send(JSON.stringify(this.#snapshot.event));
    // Watched now: reconciliation starts (replacing a retention alarm, or a long back-off) unless it is over.
    const alarm = await this.#ctx.storage.getAlarm();
    if (!this.#finished(target) && (alarm === null || alarm > Date.now() + RECONCILE_MS)) {
      await this.#ctx.storage.setAlarm(Date.now() + RECONCILE_MS);
    }
    return upgradeAnswer(client);
  }

  async #receive(target: HubTarget, call: ReceiveCall): Promise<ReceiveAnswer> {
    // Both keys are remembered whichever was seen: a replay under yet another uuid is still caught.
    const seen = deliveryKeys(call.delivery).map((key) => !this.#firstDelivery(key));
    if (seen.includes(true)) {
      return { verdict: 'duplicate', recording: this.#snapshot.raw };
    }
    const { update } = call;
    if (target.kind === 'recording') {
      this.#webhookAt = Date.now();
      this.#dirty = true;
      this.#changed(this.#snapshot.applyUpdate(update));
      return { verdict: 'applied', recording: this.#snapshot.raw };
    }
    this.#see(update.id);
    if (!this.#snapshot.known) {
      // Nobody has asked about this meeting: nothing to keep current, only the placement to remember, and
      // once its recording is over, for a week.
      if (isTerminal(update.status) && this.#ctx.getWebSockets().length === 0) {
        await this.#ctx.storage.setAlarm(Date.now() + RETAIN_SETTLED_MS);
      }
      return { verdict: 'applied', recording: this.#snapshot.raw };
    }
    this.#webhookAt = Date.now();
    this.#dirty = true;
    const outcome = this.#snapshot.applyToMeeting(update, call.recording ?? null);
    // Not placeable from what is known: one (shared) list read places it.
    if (outcome === 'unplaced') await this.#fetch(target, true);
    else this.#changed(outcome);
    return { verdict: 'applied', recording: this.#snapshot.raw };
  }

  /** Remembers a delivery key; false when it was seen before. Bounded: the oldest ids are forgotten first. */
  #firstDelivery(uuid: string): boolean {
    if (this.#sql('SELECT 1 FROM deliveries WHERE uuid = ?', uuid).length > 0) return false;
    this.#sql('INSERT INTO deliveries (uuid, at) VALUES (?, ?)', uuid, Date.now());
    // Pruned now and then, not on every insert: the table may exceed its cap by a hundred rows at most.
    if (++this.#deliveriesSincePrune >= 100) {
      this.#deliveriesSincePrune = 0;
      this.#sql(
        'DELETE FROM deliveries WHERE at < (SELECT at FROM deliveries ORDER BY at DESC LIMIT 1 OFFSET ?)',
        MAX_DELIVERIES - 1,
      );
    }
    return true;
  }

  /** Only a meeting's hub has this table: a recording's hub stores no page for it. */
  #seenTable(): void {
    this.#sql('CREATE TABLE IF NOT EXISTS seen (recording_id TEXT PRIMARY KEY) WITHOUT ROWID');
  }

  #see(recordingId: string): void {
    if (this.#target?.kind !== 'meeting') return;
    this.#seenTable();
    this.#sql('INSERT OR IGNORE INTO seen (recording_id) VALUES (?)', recordingId);
  }

  async #fetch(target: HubTarget, fresh: boolean, priority: Priority = 'read'): Promise<UpstreamResult> {
    const result = await this.#client().get(upstreamPath(target), fresh, priority);
    if (!result.ok) return result;
    const answer = readAnswer(target, result.body);
    if (!answer.ok) return invalidAnswer(result.at);
    for (const r of answer.list) this.#see(r.id);
    this.#readAt = result.at;
    this.#dirty = true;
    this.#changed(this.#snapshot.apply(answer.recording));
    return result;
  }

  /** Stores a changed snapshot, then tells every viewer (the runtime holds the messages until it is stored). */
  #changed(changed: boolean): void {
    if (!changed) return;
    this.#dirty = true;
    this.#flush();
    // Settled with nobody watching: the only alarm left is the one that forgets it.
    if (this.#settled() && this.#ctx.getWebSockets().length === 0) void this.#idle();
    const message = JSON.stringify(this.#snapshot.event);
    for (const socket of this.#ctx.getWebSockets()) {
      try {
        socket.send(message);
        this.#stats.messages++;
      } catch {
        // A socket closing as we speak: its close handler tidies up.
      }
    }
  }
}
