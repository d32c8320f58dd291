// @ts-check
/**
 * Reads a V8 CPU profile (the inspector's Profiler.stop, or a .cpuprofile from `node --cpu-prof`) into what an
 * optimiser wants first: the functions that spent the most time themselves, and the share of each origin
 * (this package, hono, @hono/node-server, zod, Node's internals, the garbage collector).
 */
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples?: number[], timeDeltas?: number[], startTime: number, endTime: number }} Profile
 */

/** A script's place, short: relative to the package, or the package it comes from. @param {string} url */
export function shortUrl(url) {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** Where a function comes from, for the by-origin shares. @param {ProfileNode['callFrame']} frame */
export function origin(frame) {
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : 'native';
  const short = shortUrl(frame.url);
  if (short.startsWith('node:') || short.startsWith('wasm:') || !short.includes('/')) return 'node internals';
  if (short.startsWith('@hono/node-server/')) return '@hono/node-server';
  const pkg = /^(@[^/]+\/[^/]+|[^/]+)\//.exec(short)?.[1] ?? short;
  if (pkg === 'dist') return 'recording-status (dist)';
  if (pkg === 'bench') return short === 'bench/bare-server.mjs' ? 'bare server' : 'bench harness';
  return pkg;
}

/** Node's own code, or a native function: the runtime, not a package. @param {string} from */
const runtime = (from) => from === 'node internals' || from === 'native';

/**
 * Self time by function; by origin; and by caller, the nearest package on the stack that is not the runtime
 * (so the time Node's web streams or crypto spend for hono counts for hono). Native functions are named with
 * the script function that called them. Idle time is left out.
 * @param {Profile} profile
 * @param {number} [top]
 */
export function summarise(profile, top = 12) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<number, number>} */
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  /** The nearest frame up the stack (itself included) that `accept` takes. @param {number} id @param {(from: string, frame: ProfileNode['callFrame']) => boolean} accept */
  const up = (id, accept) => {
    for (let at = /** @type {number | undefined} */ (id), guard = 0; at !== undefined && guard < 10_000; guard++) {
      const frame = nodes.get(at)?.callFrame;
      if (frame && accept(origin(frame), frame)) return frame;
      at = parents.get(at);
    }
    return undefined;
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  /** @type {Map<number, number>} µs by node */
  const self = new Map();
  for (let i = 0; i < samples.length; i++) {
    // A sample lasts until the next one.
    const lasted = deltas[i + 1] ?? 0;
    const id = /** @type {number} */ (samples[i]);
    self.set(id, (self.get(id) ?? 0) + lasted);
  }
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  /** @type {Map<string, number>} */
  const byOrigin = new Map();
  /** @type {Map<string, number>} */
  const byCaller = new Map();
  const add = (/** @type {Map<string, number>} */ map, /** @type {string} */ key, /** @type {number} */ us) =>
    map.set(key, (map.get(key) ?? 0) + us);
  const place = (/** @type {ProfileNode['callFrame']} */ frame) =>
    `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
  let total = 0;
  for (const [id, us] of self) {
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined || frame.functionName === '(idle)') continue;
    total += us;
    const from = origin(frame);
    const script = from === 'native' ? up(id, (_, f) => f.url !== '') : frame;
    const name = from !== 'native' ? (frame.url === '' ? frame.functionName : place(frame)) : frame.functionName;
    const caller = up(id, (f) => !runtime(f));
    const callerFrom = caller ? origin(caller) : from;
    const via = caller && caller !== script && caller.url !== '' ? ` ← ${place(caller)}` : '';
    add(byFunction, from === 'native' && script ? `${name} (native) ← ${place(script)}${via}` : name, us);
    add(byOrigin, from, us);
    add(byCaller, callerFrom === '(root)' ? 'none: Node alone (sockets, HTTP parser, timers)' : callerFrom, us);
  }
  const ranked = (/** @type {Map<string, number>} */ map, /** @type {number} */ n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, share: total === 0 ? 0 : us / total }));
  return {
    busyMs: total / 1000,
    functions: ranked(byFunction, top),
    origins: ranked(byOrigin, 8),
    callers: ranked(byCaller, 8),
  };
}
