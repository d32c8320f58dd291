// @ts-check
/**
 * Ends a web-test-runner run with one plain line, "wtr: N passed, N failed, N skipped", counted over every
 * browser, so CI logs say at a glance what ran.
 */

/** @param {any} suite @param {{ passed: number, failed: number, skipped: number }} totals */
function count(suite, totals) {
  for (const test of suite?.tests ?? []) {
    if (test.skipped) totals.skipped++;
    else if (test.passed) totals.passed++;
    else totals.failed++;
  }
  for (const child of suite?.suites ?? []) count(child, totals);
}

/** @returns {import('@web/test-runner').Reporter} */
export function summaryReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      let broken = 0;
      for (const session of sessions) {
        count(session.testResults, totals);
        if (!session.passed && (session.errors?.length ?? 0) > 0) broken++;
      }
      const extra = broken ? ` (${broken} test file sessions failed to load or run)` : '';
      console.log(
        `\nwtr: ${totals.passed} passed, ${totals.failed + broken} failed, ${totals.skipped} skipped${extra}`,
      );
    },
  };
}
