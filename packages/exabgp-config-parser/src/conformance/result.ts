/** One conformance test's outcome. */
export interface TestResult {
  suite: 'encoding' | 'decoding' | 'parsing' | 'json';
  /** the test's name: the file name without directory (a `json` check adds `:STEP@LINE`) */
  name: string;
  status: 'pass' | 'fail' | 'skip';
  /** one line: why it failed or was skipped, or what passed */
  reason: string;
  /** further lines printed under the result (the first differing message side by side) */
  detail?: string[];
  /**
   * true for a decoding test that fails with ExaBGP 6.0.0 itself (bgp-ls-7, -8, -9, see the corpus README):
   * reported on its own line and left out of the counts
   */
  excluded?: boolean;
}

export function pass(suite: TestResult['suite'], name: string, reason: string): TestResult {
  return { suite, name, status: 'pass', reason };
}

export function fail(suite: TestResult['suite'], name: string, reason: string, detail?: string[]): TestResult {
  return detail === undefined
    ? { suite, name, status: 'fail', reason }
    : { suite, name, status: 'fail', reason, detail };
}
