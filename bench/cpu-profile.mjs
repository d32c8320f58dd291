// @ts-check
/**
 * Reads a V8 CPU profile (the inspector's Profiler.stop, or a .cpuprofile from `node --cpu-prof`) into what an
 * optimiser wants first: the functions that spent the most time themselves, and the share of each origin
 * (this package, hono, @hono/node-server, zod, Node's internals, the garbage collector).
 */
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number } }} ProfileNode
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
  if (short.startsWith('node:') || !short.includes('/')) return 'node internals';
  if (short.startsWith('@hono/node-server/')) return '@hono/node-server';
  const pkg = /^(@[^/]+\/[^/]+|[^/]+)\//.exec(short)?.[1] ?? short;
  return pkg === 'dist' ? 'recording-status (dist)' : pkg === 'bench' ? 'bench (bare server)' : pkg;
}

/**
 * Self time by function (and by origin), idle time left out.
 * @param {Profile} profile
 * @param {number} [top]
 */
export function summarise(profile, top = 12) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
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
  let total = 0;
  for (const [id, us] of self) {
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined || frame.functionName === '(idle)') continue;
    total += us;
    const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const from = origin(frame);
    byOrigin.set(from, (byOrigin.get(from) ?? 0) + us);
  }
  const ranked = (/** @type {Map<string, number>} */ map, /** @type {number} */ n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, share: total === 0 ? 0 : us / total }));
  return { busyMs: total / 1000, functions: ranked(byFunction, top), origins: ranked(byOrigin, 8) };
}
