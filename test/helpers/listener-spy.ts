/**
 * Counts the listeners added to and removed from the document and the window, by type ("document:visibilitychange"),
 * for leak tests: own-property overrides that count, then defer to EventTarget's own methods.
 */
export function spyOnPageListeners(): { live: Map<string, number>; restore: () => void } {
  const live = new Map<string, number>();
  const spies: [EventTarget, string][] = [
    [document, 'document'],
    [window, 'window'],
  ];
  for (const [target, name] of spies) {
    target.addEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
      live.set(`${name}:${type}`, (live.get(`${name}:${type}`) ?? 0) + 1);
      EventTarget.prototype.addEventListener.call(this, type, ...(rest as [EventListener, boolean]));
    };
    target.removeEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
      live.set(`${name}:${type}`, (live.get(`${name}:${type}`) ?? 0) - 1);
      EventTarget.prototype.removeEventListener.call(this, type, ...(rest as [EventListener, boolean]));
    };
  }
  return {
    live,
    // Deleting the own properties restores EventTarget's methods.
    restore: () => {
      for (const [target] of spies) {
        Reflect.deleteProperty(target, 'addEventListener');
        Reflect.deleteProperty(target, 'removeEventListener');
      }
    },
  };
}
