// Turns vitest's JSON report into the closing "N passed, N failed" line CI reads.
import { existsSync, readFileSync } from 'node:fs';

const [file, status] = process.argv.slice(2);
if (!existsSync(file)) {
  // Typecheck or lint failed before any test ran.
  console.log(`0 passed, 1 failed`);
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const passed = r.numPassedTests ?? 0;
// A suite that fails to load has no failed test of its own, yet it failed: count it.
const brokenSuites = (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
const failed = (r.numFailedTests ?? 0) + brokenSuites + (status !== '0' && (r.numFailedTests ?? 0) + brokenSuites === 0 ? 1 : 0);
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
