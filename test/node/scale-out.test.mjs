// @ts-check
/**
 * `npm test` needs no Redis: the scale-out tests (replicas sharing pushes, state and the budget through a real
 * redis-server) are their own step, and this says so in every run's counts.
 */
import { test } from 'node:test';

test('replicas scaled out through Redis', {
  skip: 'the scale-out tests were not run: npm run test:scale runs them against a redis-server it starts',
});
