/**
 * The one timer a shell keeps for a target it holds in memory (`MemoryHub`, `RedisHub`): armed, while viewers watch
 * and the recording can still change, at the core's next check, when the shell calls `core.wake`.
 */
import { timerDelay, type Clock, type TimerId } from '../platform.js';
import type { TargetHub } from './target-hub.js';

export function armWake(clock: Clock, core: TargetHub, watched: boolean, fire: () => void): TimerId | undefined {
  if (!watched || core.finished) return undefined;
  const at = core.nextCheckAt(clock.now(), true);
  return clock.setTimeout(fire, timerDelay(at - clock.now()));
}
