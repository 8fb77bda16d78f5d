import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BgpError, decodeMessage, encodeMessage, FrameParser, negotiate, type OpenMessage } from 'bgp-codec';
import type { Configuration, Neighbor } from '../model.js';
import { exabgpNotificationFor } from '../wire/notification.js';
import { EXABGP_TEST_SOFTWARE_VERSION, openFor, WireError } from '../wire/open.js';
import { unsupportedRouteFamilies } from '../wire/routes.js';
import { initialMessagesFor } from '../wire/updates.js';
import { toHex } from './checker.js';
import { type CiFile, parseCi } from './ci.js';
import { CheckerConversation } from './conversation.js';
import { CHECKER_KEEPALIVE, CHECKER_UNKNOWN_MESSAGE, checkerOpen } from './peer.js';
import { fail, type TestResult } from './result.js';

/** Reads a configuration file into the typed model (the project's parser); throws with a message on errors. */
export type ConfigurationLoader = (path: string) => Configuration;

/** What our speaker sends on the session the checker opens, and why it stopped. */
export interface SpeakerTranscript {
  messages: Uint8Array[];
  /** set when the speaker ended the session itself (a NOTIFICATION it sent) */
  closedBy?: string;
}

/**
 * The session with ExaBGP's checking peer, played without sockets: our OPEN, the peer's echoed OPEN
 * (decoded by the codec and negotiated), then what our speaker sends: a KEEPALIVE, and either the
 * NOTIFICATION for the peer's unknown message (read through the codec's frame parser) or the UPDATEs of the
 * configured routes followed by the End-of-RIBs, in ExaBGP's order.
 */
export function speakerTranscript(neighbor: Neighbor, test: CiFile): SpeakerTranscript {
  const facts = { localAddress: neighbor.localAddress === 'auto' ? undefined : neighbor.localAddress };
  const ourOpen = openFor(neighbor, facts, { softwareVersion: EXABGP_TEST_SOFTWARE_VERSION });
  const ourOpenBytes = encodeMessage(ourOpen);
  const messages: Uint8Array[] = [ourOpenBytes];

  // What the peer sends us: its OPEN, a KEEPALIVE, maybe a message of an unknown type.
  const parser = new FrameParser();
  parser.push(checkerOpen(ourOpenBytes, test.options));
  let peerOpen: OpenMessage | undefined;
  try {
    const frame = parser.next();
    const decoded = frame ? decodeMessage(frame.message) : undefined;
    if (decoded?.type === 'open') peerOpen = decoded;
  } catch (error) {
    if (!(error instanceof BgpError)) throw error;
    messages.push(encodeMessage(exabgpNotificationFor(error)));
    return { messages, closedBy: `NOTIFICATION for the peer's OPEN: ${error.message}` };
  }
  if (peerOpen === undefined) return { messages, closedBy: 'the peer sent no OPEN' };
  const negotiated = negotiate(ourOpen, peerOpen);
  messages.push(CHECKER_KEEPALIVE.slice());

  if (test.options.sendUnknownMessage) {
    parser.setExtendedMessage(negotiated.extendedMessage);
    parser.push(CHECKER_UNKNOWN_MESSAGE);
    try {
      for (const _ of parser.frames()) {
        // a known type would be handled by the session; ExaBGP reads it before sending its routes
      }
    } catch (error) {
      if (!(error instanceof BgpError)) throw error;
      messages.push(encodeMessage(exabgpNotificationFor(error), negotiated.context));
      return { messages, closedBy: `NOTIFICATION: ${error.message}` };
    }
  }

  for (const message of initialMessagesFor(neighbor, negotiated, facts)) messages.push(message);
  return { messages };
}

/** An encoding test ready to run: its `.ci`, its configuration and the neighbor that speaks. */
export interface EncodingTest {
  /** the file name without `.ci` */
  name: string;
  path: string;
  test: CiFile;
  config: Configuration;
  /** the configuration's first neighbor: the one ExaBGP's checker talks to (every corpus test has one) */
  neighbor: Neighbor;
}

/**
 * Read an encoding test and its configuration; a failure (no `option:file:`, a configuration that does not
 * parse, no neighbor, a family the wire layer does not build) is returned as the test's result.
 */
export function prepareEncodingTest(
  path: string,
  corpusRoot: string,
  load: ConfigurationLoader,
): EncodingTest | TestResult {
  const name = basename(path).replace(/\.ci$/, '');
  const test = parseCi(readFileSync(path, 'utf8'), basename(path));
  if (test.options.files.length === 0) return fail('encoding', name, 'no option:file: line');
  let config: Configuration;
  const file = join(corpusRoot, 'etc', 'exabgp', test.options.files[0]!);
  try {
    config = load(file);
  } catch (error) {
    return fail('encoding', name, `configuration does not parse: ${firstLine(error)}`);
  }
  const neighbor = config.neighbors[0];
  if (neighbor === undefined) return fail('encoding', name, 'the configuration has no neighbor');
  const unsupported = unsupportedRouteFamilies(neighbor);
  if (unsupported.length > 0) return fail('encoding', name, `family ${unsupported.join(', ')} not supported`);
  return { name, path, test, config, neighbor };
}

/** Run one `qa/encoding/*.ci` (or `qa/api/*.ci`) test against our speaker, without sockets. */
export function runEncodingTest(path: string, corpusRoot: string, load: ConfigurationLoader): TestResult {
  const prepared = prepareEncodingTest(path, corpusRoot, load);
  if ('status' in prepared) return prepared;
  const { name, test, neighbor } = prepared;
  let transcript: SpeakerTranscript;
  try {
    transcript = speakerTranscript(neighbor, test);
  } catch (error) {
    if (error instanceof WireError || error instanceof RangeError) {
      return fail('encoding', name, `our speaker cannot build its messages: ${firstLine(error)}`);
    }
    throw error;
  }
  return checkTranscript(name, test, transcript, neighbor);
}

/** Why a test's messages can stop short: the session is driven by an API process, which is not run. */
export function apiNote(neighbor: Neighbor): string | undefined {
  return neighbor.api.length > 0 ? 'the test drives the session through an API process, which is not run' : undefined;
}

/** Feed what our speaker sent to ExaBGP's checker rules, as the checking peer would read it. */
export function checkTranscript(
  name: string,
  test: CiFile,
  transcript: SpeakerTranscript,
  neighbor: Neighbor,
): TestResult {
  const conversation = new CheckerConversation(name, test);
  const [open, ...rest] = transcript.messages;
  if (open === undefined) return fail('encoding', name, 'our speaker sent nothing');
  let reply = conversation.open(open);
  for (const message of rest) {
    if (reply.verdict) break;
    reply = conversation.message(message);
  }
  return reply.verdict ?? conversation.silent(transcript.closedBy ?? apiNote(neighbor));
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

export { toHex };
