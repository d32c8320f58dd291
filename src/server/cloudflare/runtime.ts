/**
 * The slice of the Workers runtime this package uses, typed here: the package then needs no
 * `@cloudflare/workers-types` (whose globals clash with the DOM's), and a test can see at a glance what the
 * Worker and its Durable Objects rely on.
 */

/** A Workers WebSocket: one end of a `WebSocketPair`, or the one a Durable Object's answer carries. */
export interface CfWebSocket {
  accept(): void;
  send(message: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close' | 'error', listener: () => void): void;
}

export interface DurableObjectStub {
  fetch(request: Request): Promise<Response>;
}

/** RPC methods as a stub exposes them: every call is asynchronous. */
export type Rpc<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** A binding: `T` is the class's RPC surface. */
export interface DurableObjectNamespace<T = object> {
  getByName(name: string): DurableObjectStub & Rpc<T>;
}

export interface SqlStorage {
  /** Bytes the object's database takes: what stored data is billed by. */
  readonly databaseSize: number;
  exec(
    query: string,
    ...bindings: (string | number | null)[]
  ): { toArray(): Record<string, unknown>[]; readonly rowsRead: number; readonly rowsWritten: number };
}

export interface DurableObjectState {
  /** `name` is set for an object reached by name (getByName, idFromName). */
  readonly id: { readonly name?: string | undefined };
  readonly storage: {
    readonly sql: SqlStorage;
    setAlarm(scheduledTime: number): Promise<void>;
    getAlarm(): Promise<number | null>;
    deleteAlarm(): Promise<void>;
    /** Deletes every table, row and (from compatibility date 2026-02-24) the alarm. */
    deleteAll(): Promise<void>;
  };
  acceptWebSocket(socket: CfWebSocket): void;
  getWebSockets(): CfWebSocket[];
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
}

/** Both ends of a new WebSocket pair: the client end goes into the answer, the server end stays. */
export function webSocketPair(): [client: CfWebSocket, server: CfWebSocket] {
  const Pair = (globalThis as unknown as { WebSocketPair: new () => Record<0 | 1, CfWebSocket> }).WebSocketPair;
  const pair = new Pair();
  return [pair[0], pair[1]];
}

/** The 101 answer that hands a WebSocket to the caller. */
export function upgradeAnswer(client: CfWebSocket): Response {
  return new Response(null, { status: 101, webSocket: client } as ResponseInit);
}

/** The WebSocket an answer carries, if it is an accepted upgrade. */
export function answerSocket(response: Response): CfWebSocket | null {
  return (response as Response & { webSocket?: CfWebSocket | null }).webSocket ?? null;
}
