/**
 * A node-redis client a host already has is a `redis` option as it is: checked by tsc (tsconfig.json), never run.
 */
import { createClient } from 'redis';
import { createRecordingServer } from '../../src/server/index.js';

export function withHostClient(): void {
  const client = createClient({ url: 'redis://127.0.0.1:6379' });
  createRecordingServer({ accountId: 'a', appId: 'b', apiToken: 'c', tokenSecret: 'd'.repeat(32), redis: client });
}
