/**
 * The Worker's and the hubs' side of the one `UpstreamBudget` object: a named client over its stub, as
 * `remote-hub.ts` is for the hubs. Every request says the budget (`askBudget`), so that changing the variable
 * changes the bucket.
 */
import type { FetchLike } from '../../platform.js';
import type { Budget, BudgetGrant, Priority } from '../budget.js';
import type { Health } from '../routes/index.js';
import { askBudget, type HubBindings } from './protocol.js';

export class BudgetClient implements Budget {
  readonly #bindings: Pick<HubBindings, 'UPSTREAM_BUDGET'>;
  readonly #budget: { readonly perMinute: number; readonly perViewer: number };

  constructor(
    bindings: Pick<HubBindings, 'UPSTREAM_BUDGET'>,
    budget: { readonly perMinute: number; readonly perViewer: number },
  ) {
    this.#bindings = bindings;
    this.#budget = budget;
  }

  #ask(path: string): Promise<Response> {
    return askBudget(this.#bindings, this.#budget, path);
  }

  /** One upstream request's permission, from the deployment's one bucket. */
  async grant(priority: Priority = 'read', viewer?: string): Promise<BudgetGrant> {
    const query = new URLSearchParams({ priority, ...(viewer === undefined ? {} : { viewer }) });
    return (await (await this.#ask(`/grant?${query}`)).json()) as BudgetGrant;
  }

  /** Whether RealtimeKit was reachable, and whether it refused the credentials (what /healthz says at the edge). */
  async health(): Promise<Health> {
    return (await (await this.#ask('/health')).json()) as Health;
  }

  /**
   * `fetch`, telling the budget object whether each request reached RealtimeKit (without waiting for it, and
   * never failing the request for it).
   */
  reporting(fetch: FetchLike): FetchLike {
    const report = (ok: '1' | '0' | 'refused') => {
      void this.#ask(`/reached?ok=${ok}`).catch(() => undefined);
    };
    return async (input, init) => {
      try {
        const response = await fetch(input, init);
        report(response.status === 401 || response.status === 403 ? 'refused' : '1');
        return response;
      } catch (error) {
        report('0');
        throw error;
      }
    };
  }
}
