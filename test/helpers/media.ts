/** Media emulation that tells whether it worked, so a test can skip where the browser cannot emulate. */
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';

export async function tryEmulate(media: Parameters<typeof emulateMedia>[0]): Promise<boolean> {
  try {
    await emulateMedia(media);
    return true;
  } catch {
    return false;
  }
}

/** True in a browser that was started in forced colours (Firefox with its preference set), not emulated. */
export const launchedInForcedColors = matchMedia('(forced-colors: active)').matches;

/** True in a browser that was started with reduced motion, not emulated. */
export const launchedWithReducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * Forced colours through the config's own command (CDP), or a browser that was started in them; true only
 * if the page now matches the query as asked.
 */
export async function emulateForcedColors(active: boolean): Promise<boolean> {
  if (launchedInForcedColors) return active;
  const done = await executeServerCommand<boolean, { active: boolean }>('emulate-forced-colors', { active });
  return done && matchMedia('(forced-colors: active)').matches === active;
}
