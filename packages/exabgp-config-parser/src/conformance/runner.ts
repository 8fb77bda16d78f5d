import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  BgpError,
  type CodecContext,
  decodeMessage,
  decodeUpdate,
  type ExabgpNeighbor,
  exabgpJson,
  HEADER_LENGTH,
  MessageType,
  negotiate,
} from 'bgp-codec';
import type { Configuration, Neighbor } from '../model.js';
import { makeNeighbor } from '../wire/neighbor.js';
import { capabilitiesFor, localAsOf, openFor } from '../wire/open.js';
import { jsonExpectations, parseCi } from './ci.js';
import { type Corpus, readCorpus } from './corpus.js';
import { runDecodingTest } from './decoding.js';
import { type ConfigurationLoader, runEncodingTest } from './encoding.js';
import { dropEverywhere, firstDifference, type Json, jsonEqual } from './json.js';
import { fail, pass, type TestResult } from './result.js';

export interface ConformanceReport {
  corpus: string;
  results: TestResult[];
  counts: Record<TestResult['suite'], { passed: number; total: number }>;
}

/** Every `etc/exabgp/*.conf` through the parser. */
export function runParsingTests(corpus: Corpus, load: ConfigurationLoader): TestResult[] {
  return corpus.configs.map((path) => {
    const name = basename(path);
    try {
      const config = load(path);
      const routes = config.neighbors.reduce((n, neighbor) => n + neighbor.routes.length, 0);
      return pass('parsing', name, `${config.neighbors.length} neighbor(s), ${routes} route(s)`);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return fail('parsing', name, text.split('\n')[0] ?? text);
    }
  });
}

/** The keys qa/bin/test_json drops at every depth before comparing. */
const JSON_VOLATILE = ['time', 'host', 'pid', 'ppid', 'counter'];

/**
 * The neighbor qa/bin/test_json decodes with: the configuration's first, or ExaBGP's default one when the
 * file has none (127.0.0.1, router-id 10.0.0.2, AS 65533, every family).
 */
export function jsonTestNeighbor(config: Configuration | undefined): Neighbor {
  return (
    config?.neighbors[0] ??
    makeNeighbor({
      peerAddress: '127.0.0.1',
      localAddress: '127.0.0.1',
      routerId: '10.0.0.2',
      localAs: 65533,
      peerAs: 65533,
      families: [],
      familyBlock: false,
    })
  );
}

/** ExaBGP's neighbor block for a neighbor: addresses, AS numbers and router-id from its configuration. */
export function jsonNeighbor(neighbor: Neighbor): ExabgpNeighbor {
  const local = neighbor.localAddress === 'auto' ? '127.0.0.1' : neighbor.localAddress;
  const routerId = neighbor.routerId ?? (local.includes(':') ? undefined : local);
  const localAs = neighbor.localAs === 'auto' ? 0 : neighbor.localAs;
  const peerAs = neighbor.peerAs === 'auto' ? 0 : neighbor.peerAs;
  const base = { localAddress: local, peerAddress: neighbor.peerAddress, localAs, peerAs };
  return routerId === undefined ? base : { ...base, routerId };
}

/**
 * The context ExaBGP decodes a test's UPDATEs with (configuration/check.py `_negotiated`): the neighbor's own
 * capabilities on both sides, ADD-PATH for every configured add-path family, the peer with the peer AS.
 */
export function decodeContextFor(neighbor: Neighbor): CodecContext {
  const facts = { localAs: 65533, peerAs: 65533, localAddress: '127.0.0.1', routerId: '127.0.0.1' };
  const ours = openFor(neighbor, facts);
  let capabilities = capabilitiesFor(neighbor, facts);
  if (neighbor.capabilities.addPath !== 0) {
    const families = neighbor.addPath.map((a) => ({
      afi: a.family.afiCode,
      safi: a.family.safiCode,
      sendReceive: neighbor.capabilities.addPath,
    }));
    capabilities = capabilities.map((c) => (c.type === 'add-path' ? { type: 'add-path', families } : c));
  }
  const peerAs = neighbor.peerAs === 'auto' ? localAsOf(neighbor, facts) : neighbor.peerAs;
  const sent = { ...ours, capabilities };
  const received = {
    ...sent,
    asn: peerAs,
    capabilities: capabilities.map((c) => (c.type === 'asn4' ? { ...c, asn: peerAs } : c)),
  };
  return negotiate(sent, received).context;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * The `json:`/`jsv6:` lines of a `.ci` file (qa/bin/test_json): the preceding raw UPDATE decoded by the codec
 * and printed as ExaBGP's JSON, with the neighbor block from the test's configuration, compared after
 * dropping `time`, `host`, `pid`, `ppid`, `counter` at every depth. `jsv4:` lines describe ExaBGP's API v4
 * output, which the codec does not produce: they are not checked.
 */
export function runJsonChecks(path: string, corpusRoot: string, load: ConfigurationLoader): TestResult[] {
  const test = parseCi(readFileSync(path, 'utf8'), basename(path));
  const name = basename(path).replace(/\.ci$/, '');
  const checks = jsonExpectations(test.records).filter((c) => c.tag !== 'jsv4');
  if (checks.length === 0) return [];
  let neighbor: ExabgpNeighbor;
  let ctx: CodecContext;
  try {
    const file = test.options.files[0];
    if (file === undefined) throw new Error('no option:file: line');
    const configured = jsonTestNeighbor(load(join(corpusRoot, 'etc', 'exabgp', file)));
    neighbor = jsonNeighbor(configured);
    ctx = decodeContextFor(configured);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return checks.map((c) => fail('json', `${name}:${c.step}@${c.line}`, `configuration does not load: ${text}`));
  }
  return checks.map((check) => {
    const id = `${name}:${check.step}@${check.line}`;
    let expected: Json;
    try {
      expected = dropEverywhere(JSON.parse(check.text) as Json, JSON_VOLATILE);
    } catch {
      return fail('json', id, 'the expected JSON does not parse');
    }
    let text: string;
    try {
      const bytes = hexBytes(check.raw);
      // ExaBGP prints what it receives, an unknown well-known attribute included (its generic attribute
      // configuration sends one); a session would answer it with 3/2 instead.
      const message =
        bytes[18] === MessageType.UPDATE
          ? decodeUpdate(bytes.subarray(HEADER_LENGTH), ctx, { acceptUnrecognizedWellKnown: true })
          : decodeMessage(bytes, ctx);
      text = exabgpJson(message, { neighbor, direction: 'in', time: 0, host: 'localhost', pid: 0, ppid: 0 });
    } catch (error) {
      const what = error instanceof BgpError ? `BgpError ${error.code}/${error.subcode}` : 'error';
      return fail('json', id, `${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let actual: Json;
    try {
      actual = dropEverywhere(JSON.parse(text) as Json, JSON_VOLATILE);
    } catch {
      return fail('json', id, 'the codec printed JSON that does not parse', [`ours: ${text}`]);
    }
    if (jsonEqual(expected, actual)) return pass('json', id, 'JSON matches');
    return fail('json', id, `JSON differs: ${firstDifference(expected, actual)}`, [
      `expected: ${JSON.stringify(expected)}`,
      `ours:     ${JSON.stringify(actual)}`,
    ]);
  });
}

/** Run the whole corpus. */
export function runConformance(corpusRoot: string, load: ConfigurationLoader): ConformanceReport {
  const corpus = readCorpus(corpusRoot);
  const results: TestResult[] = [];
  results.push(...runParsingTests(corpus, load));
  for (const path of corpus.encoding)
    results.push(guard('encoding', path, () => runEncodingTest(path, corpusRoot, load)));
  for (const path of corpus.decoding) results.push(guard('decoding', path, () => runDecodingTest(path)));
  for (const path of [...corpus.encoding, ...corpus.api]) {
    try {
      results.push(...runJsonChecks(path, corpusRoot, load));
    } catch (error) {
      results.push(fail('json', basename(path), `internal error: ${String(error)}`));
    }
  }
  return { corpus: corpusRoot, results, counts: countResults(results) };
}

/** A test that throws is a failure with the error, never a crash of the run. */
function guard(suite: TestResult['suite'], path: string, run: () => TestResult): TestResult {
  try {
    return run();
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return fail(suite, basename(path).replace(/\.ci$/, ''), `internal error: ${text}`);
  }
}

export function countResults(results: readonly TestResult[]): ConformanceReport['counts'] {
  const counts: ConformanceReport['counts'] = {
    encoding: { passed: 0, total: 0 },
    decoding: { passed: 0, total: 0 },
    parsing: { passed: 0, total: 0 },
    json: { passed: 0, total: 0 },
  };
  for (const result of results) {
    if (result.excluded) continue;
    const count = counts[result.suite];
    count.total++;
    if (result.status === 'pass') count.passed++;
  }
  return counts;
}

/** The report as printed: one line per test, details indented, the summary lines last. */
export function formatReport(report: ConformanceReport): string[] {
  const lines: string[] = [`corpus: ${report.corpus}`];
  for (const result of report.results) {
    const status = result.excluded ? `${result.status.toUpperCase()} (excluded)` : result.status.toUpperCase();
    lines.push(`${status} ${result.suite} ${result.name}: ${result.reason}`);
    if (result.status === 'fail' && result.detail) for (const line of result.detail) lines.push(`    ${line}`);
  }
  const excluded = report.results.filter((r) => r.excluded).map((r) => r.name);
  if (excluded.length > 0) {
    lines.push(`not counted: ${excluded.join(', ')} (fail with ExaBGP 6.0.0 itself, see the corpus README)`);
  }
  const c = report.counts;
  lines.push(`json lines (encoding and api tests): ${c.json.passed}/${c.json.total}`);
  lines.push(
    `conformance: encoding ${c.encoding.passed}/${c.encoding.total}, decoding ${c.decoding.passed}/${c.decoding.total}, parsing ${c.parsing.passed}/${c.parsing.total}`,
  );
  return lines;
}
