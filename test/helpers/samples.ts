/**
 * The RealtimeKit sample payloads from shared/realtimekit (copied into test/fixtures), loaded once. The test
 * server serves them as files; browsers' JSON modules are not uniformly supported through it.
 */
const load = async (name: string): Promise<unknown> =>
  (await globalThis.fetch(new URL(`../fixtures/${name}`, import.meta.url))).json();

interface Sample {
  success: boolean;
  data: Record<string, unknown> & { id: string; status: string };
}

export const oneSample = (await load('get-one-recording.json')) as Sample;
export const listSample = (await load('list-recordings.json')) as {
  success: boolean;
  data: (Record<string, unknown> & { id: string; status: string })[];
  paging: Record<string, number>;
};
export const noneSample = (await load('active-recording-none.json')) as {
  success: false;
  error: { code: number; message: string };
};
