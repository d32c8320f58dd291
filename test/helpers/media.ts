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

/** Forced colours through the config's own command; true only if the page now matches the query. */
export async function emulateForcedColors(active: boolean): Promise<boolean> {
  const done = await executeServerCommand<boolean, { active: boolean }>('emulate-forced-colors', { active });
  return done && matchMedia('(forced-colors: active)').matches === active;
}
