/**
 * workerd's `DurableObject` base class: only a class that extends it has its public methods exposed as RPC
 * methods on its stubs. Apart from runtime.ts so that code a Node test loads never imports `cloudflare:workers`.
 */
import * as workers from 'cloudflare:workers';
import type { DurableObjectState } from './runtime.js';

export const DurableObjectBase = workers.DurableObject as abstract new (
  ctx: DurableObjectState,
  env: unknown,
) => object;
