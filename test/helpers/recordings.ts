/** Recording payloads in the API's snake_case shape, built from the shared sample. */
import { oneSample as sample } from './samples.js';

export type ApiRecording = Record<string, unknown> & { id: string; status: string };

export function apiRecording(overrides: Partial<ApiRecording> = {}): ApiRecording {
  const base = {
    ...sample.data,
    // The ID the tests' elements and streams ask for: the proxy client refuses an answer about another one.
    id: 'r1',
    status: 'RECORDING',
    stopped_time: null,
    download_url: null,
    download_url_expiry: null,
    file_size: null,
  };
  return { ...base, ...overrides };
}

export const one = (recording: ApiRecording) => ({ success: true, data: recording });
export const list = (...recordings: ApiRecording[]) => ({
  success: true,
  data: recordings,
  paging: { total_count: recordings.length, start_offset: recordings.length ? 1 : 0, end_offset: recordings.length },
});
export const failure = (code: number, message: string) => ({ success: false, error: { code, message } });
