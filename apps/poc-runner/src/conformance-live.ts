/**
 * `conformance --live`: ExaBGP's encoding tests (qa/encoding/*.ci) over real loopback TCP.
 *
 * For each test a checking peer listens on 127.0.0.1 (or [::1] with `option:bind:ipv6`) on a port the
 * kernel picks, and our speaker, built from the test's configuration, connects to it driven by one of the
 * FSM's drivers. The peer applies the rules of ExaBGP's checker (qa/sbin/bgp) through the same
 * {@link CheckerConversation} the offline run uses, so both runs judge by one implementation of the rules:
 * it answers the speaker's OPEN with the OPEN echoed back (router-id + 1, `option:asn`, capability 66 with
 * `send-unknown-capability`), a KEEPALIVE and, with `send-unknown-message`, a message of type 255; it then
 * matches every message until every expectation matched (pass), one does not match, or none arrives for the
 * test's `timeout` seconds (fail).
 *
 * The speaker is what ExaBGP runs for the test: the configuration's neighbor, the software version
 * `ExaBGP/5.0.0-0+test` (the checker's environment sets `exabgp_version=5.0.0-0+test`), its capabilities
 * exactly as ExaBGP builds them (so `asn4 disable` sends no 4-octet AS capability and negotiates 2-octet AS
 * paths), its UPDATEs and End-of-RIBs once Established, and ExaBGP's NOTIFICATION for a message of a type it
 * does not know. It runs fsm-bridge's RFC 4271 FSM on the mode's driver directly rather than through the
 * Session API, because the Session adds capabilities of its own (4-octet AS always, route refresh) where
 * ExaBGP's list must be sent as it is.
 *
 * Not supported (the test fails saying so): `signal:` actions (ExaBGP's checker signals the speaker's
 * process to reload its configuration), several connections (`option:tcp_connections`), passive neighbors,
 * tests driven by an API process (no process is run), and the families the wire layer does not build.
 */
import net from 'node:net';
import { basename } from 'node:path';
import { BgpError, encodeOpen, FrameParser, MessageType, type Negotiated, notificationName } from 'bgp-codec';
import { TRANSPORT_DRIVERS } from 'bgp-speaker';
import {
  apiNote,
  CheckerConversation,
  type ConfigurationLoader,
  countResults,
  EXABGP_TEST_SOFTWARE_VERSION,
  exabgpNotificationFor,
  fail,
  firstLine,
  initialMessagesFor,
  loadConfigurationFile,
  type Neighbor,
  openFor,
  prepareEncodingTest,
  readCorpus,
  type SessionFacts,
  type TestResult,
  WireError,
} from 'exabgp-config-parser';
import {
  bgpFsm,
  createDriver,
  type Driver,
  type DriverName,
  type Effect,
  type Fsm,
  type FsmEvent,
  type FsmResult,
  type Runner,
} from 'fsm-bridge';

/** The modes of the evaluation: ExaBGP's reactor (sync), async/await (async), the polling bridge (bridge). */
export type LiveMode = 'sync' | 'async' | 'bridge';

export const LIVE_MODES: readonly LiveMode[] = ['sync', 'async', 'bridge'];

export interface LiveOptions {
  /** The corpus root (laid out like ExaBGP's repository: etc/exabgp, qa/encoding). */
  readonly corpus: string;
  readonly mode: LiveMode;
  /** Only these tests (names without `.ci`); default every qa/encoding/*.ci. */
  readonly tests?: readonly string[];
  /** Deadline of one test, from start to verdict; default 20 s. The checker's own per-message timeout applies too. */
  readonly timeoutMs?: number;
  /**
   * Wait this long for each message instead of the test's `option:timeout` (default 3 s): for loaded
   * machines. It only changes how soon a test that is failing is declared failed.
   */
  readonly messageTimeoutMs?: number;
  /** Tests run at the same time; default 4. */
  readonly concurrency?: number;
  /** Configuration loader; default the project's parser. */
  readonly load?: ConfigurationLoader;
}

/** One encoding test run live in one mode. */
export interface LiveResult extends TestResult {
  readonly mode: LiveMode;
  /** The fsm-bridge driver the mode ran on. */
  readonly driver: DriverName;
  /** Wall time of the test, connection to verdict and teardown. */
  readonly durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_CONCURRENCY = 4;
/** How long a stopping speaker may take to send its Cease and close before its connection is reset. */
const STOP_TIMEOUT_MS = 3000;
/** ExaBGP writes up to 25 UPDATEs per peer per pass of its reactor. */
const BATCH = 25;
/**
 * Each pass of ExaBGP's peer loop reads first, waiting up to 0.1 s for a message, and sends its routes after
 * (reactor/peer/peer.py `_main`): a message already sent by the peer is handled before the first UPDATE.
 */
const FIRST_READ_MS = 100;

/** Run the encoding tests of a corpus live in one mode; results in the corpus's (sorted) order. */
export async function runLiveConformance(options: LiveOptions): Promise<LiveResult[]> {
  const wanted = options.tests === undefined ? undefined : new Set(options.tests);
  const paths = readCorpus(options.corpus).encoding.filter(
    (path) => wanted === undefined || wanted.has(basename(path).replace(/\.ci$/, '')),
  );
  const results = new Array<LiveResult>(paths.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < paths.length; index = next++) {
      results[index] = await runLiveEncodingTest(paths[index]!, options);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, paths.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** One encoding test, live: never throws (an internal error is the test's failure). */
export async function runLiveEncodingTest(
  path: string,
  options: Omit<LiveOptions, 'tests' | 'concurrency'>,
): Promise<LiveResult> {
  const started = performance.now();
  const driver = TRANSPORT_DRIVERS[options.mode];
  let result: TestResult;
  try {
    result = await liveTest(path, options);
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    result = fail('encoding', basename(path).replace(/\.ci$/, ''), `internal error: ${text}`);
  }
  return { ...result, mode: options.mode, driver, durationMs: Math.round(performance.now() - started) };
}

async function liveTest(path: string, options: Omit<LiveOptions, 'tests' | 'concurrency'>): Promise<TestResult> {
  const prepared = prepareEncodingTest(path, options.corpus, options.load ?? loadConfigurationFile);
  if ('status' in prepared) return prepared;
  const { name, test, neighbor } = prepared;
  if (neighbor.passive) {
    return fail('encoding', name, 'the neighbor is passive: it would wait for the checker, which only listens');
  }
  if ((test.options.tcpConnections ?? 1) > 1) {
    return fail('encoding', name, `option:tcp_connections:${test.options.tcpConnections}: not supported live`);
  }
  const host = test.options.bindIpv6 ? '::1' : '127.0.0.1';
  const messageMs = options.messageTimeoutMs ?? test.options.timeout * 1000;
  const peer = new CheckingPeer(new CheckerConversation(name, test));
  try {
    await peer.listen(host);
  } catch (error) {
    return fail('encoding', name, `the checking peer cannot listen on ${host}: ${firstLine(error)}`);
  }
  let speaker: LiveSpeaker | undefined;
  let deadline: NodeJS.Timeout | undefined;
  try {
    try {
      speaker = new LiveSpeaker(neighbor, options.mode, { host: neighbor.peerAddress, port: peer.port }, host);
    } catch (error) {
      if (error instanceof WireError || error instanceof RangeError) {
        return fail('encoding', name, `our speaker cannot build its messages: ${firstLine(error)}`);
      }
      throw error;
    }
    const live = speaker;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const late = new Promise<TestResult>((resolve) => {
      deadline = setTimeout(
        () => resolve(fail('encoding', name, `no verdict within the test's deadline of ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const verdict = await Promise.race([
      peer.converse(messageMs, () => live.note() ?? apiNote(neighbor)),
      live.failed.then((why) => peer.abandon(why)),
      late,
    ]);
    if (verdict.status === 'fail' && live.error !== undefined && !verdict.reason.includes(live.error)) {
      return { ...verdict, reason: `${live.error}; ${verdict.reason}` };
    }
    return verdict;
  } finally {
    clearTimeout(deadline);
    // Once decided, the speaker stops (a Cease, which the peer no longer reads) before the peer closes its
    // side: stopped the other way round, after a FIN from the peer on a session idle for seconds, the
    // polling bridge leaves its connection's socket open and the process cannot exit.
    await speaker?.stop();
    await peer.close();
  }
}

/**
 * The checking peer's side of the socket: one listening socket, the first connection accepted (another one
 * is refused: the tests run here open one), messages framed with bgp-codec's FrameParser and handed to the
 * conversation, its replies written back.
 */
class CheckingPeer {
  private readonly server = net.createServer();
  private readonly sockets = new Set<net.Socket>();
  private socket: net.Socket | undefined;
  private finish: ((verdict: TestResult) => void) | undefined;
  /** The checker's wait for the next message (qa/sbin/bgp read_message's timeout). */
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly conversation: CheckerConversation) {}

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  listen(host: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port: 0, exclusive: true }, () => {
        this.server.off('error', reject);
        this.server.on('error', () => undefined);
        resolve();
      });
    });
  }

  /**
   * Accept the speaker's connection and judge what it sends; resolves with the verdict. `note` says what
   * the speaker reported (a NOTIFICATION it sent or received) when the messages stop short.
   */
  converse(messageMs: number, note: () => string | undefined): Promise<TestResult> {
    const conversation = this.conversation;
    return new Promise<TestResult>((resolve) => {
      let settled = false;
      const finish = (verdict: TestResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(this.timer);
        resolve(verdict);
      };
      this.finish = finish;
      // qa/sbin/bgp read_message: no message (or no whole message) for `timeout` seconds fails the test.
      const arm = () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => finish(conversation.silent(note() ?? noConnection(this.socket))), messageMs);
      };
      this.server.on('connection', (socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
        if (this.socket !== undefined || settled) {
          socket.destroy();
          return;
        }
        this.socket = socket;
        socket.setNoDelay(true);
        arm();
        // The checker reads whatever length the header says, up to 65535 (it does not negotiate).
        const parser = new FrameParser();
        parser.setExtendedMessage(true);
        parser.acceptUnknownTypes = true;
        let first = true;
        socket.on('data', (chunk: Buffer) => {
          if (settled) return;
          try {
            parser.push(chunk);
            for (let frame = parser.next(); frame !== undefined; frame = parser.next()) {
              const message = frame.message.slice();
              const reply = first ? conversation.open(message) : conversation.message(message);
              first = false;
              for (const bytes of reply.send) socket.write(bytes);
              if (reply.verdict) {
                finish(reply.verdict);
                return;
              }
            }
          } catch (error) {
            finish(fail('encoding', conversation.name, `the speaker's bytes do not frame: ${firstLine(error)}`));
            return;
          }
          arm();
        });
        socket.on('close', () => finish(conversation.silent(note() ?? 'the speaker closed it', 'closed')));
      });
      arm();
    });
  }

  /** The speaker gave up before the verdict: the verdict is what the checker has seen so far. */
  abandon(why: string): TestResult {
    const verdict = this.conversation.silent(why, this.socket === undefined ? 'timeout' : 'closed');
    this.finish?.(verdict);
    return verdict;
  }

  /** Close the listening socket and every connection. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

function noConnection(socket: net.Socket | undefined): string | undefined {
  return socket === undefined ? 'the speaker did not connect' : undefined;
}

/**
 * The FSM as ExaBGP speaks it, around fsm-bridge's RFC 4271 FSM:
 * - its OPEN is the wire layer's bytes for the same OPEN (the FSM builds it from the same fields; the wire
 *   layer also decides, as ExaBGP does, when the parameters take the RFC 9072 extended format);
 * - a header error is answered with ExaBGP's NOTIFICATION for it (a message of unknown type gets 1/0 and
 *   ExaBGP's text, where RFC 4271 §6.1 says 1/3 with the type: the corpus pins ExaBGP's bytes).
 */
function* exabgpFsm(inner: Fsm, open: Uint8Array): Fsm {
  let event: FsmEvent | undefined;
  let done = false;
  try {
    for (;;) {
      const step = inner.next(event);
      if (step.done) {
        done = true;
        return step.value;
      }
      let effect: Effect = step.value;
      if (effect.kind === 'send' && effect.messages.length === 1 && effect.messages[0]?.[18] === MessageType.OPEN) {
        effect = { ...effect, messages: [open] };
      }
      event = yield effect;
      if (event?.kind === 'message-error') {
        const n = exabgpNotificationFor(event.error);
        event = { kind: 'message-error', error: new BgpError(event.error.reason, n.code, n.subcode, n.data) };
      }
    }
  } finally {
    if (!done) inner.return({ reason: 'stopped' } satisfies FsmResult);
  }
}

/** Our speaker for one test: one FSM on the mode's driver, connecting to the checking peer. */
class LiveSpeaker {
  /** Resolves with the reason when the speaker gives up (its UPDATEs cannot be built). */
  readonly failed: Promise<string>;
  /** Why the speaker gave up, once it did. */
  error: string | undefined;
  private readonly driver: Driver;
  private readonly runner: Runner;
  private readonly notes: string[] = [];
  private giveUp!: (why: string) => void;
  private negotiated: Negotiated | undefined;
  private established = false;
  /** Set from Established until the routes are posted: the first read of ExaBGP's loop. */
  private firstRead: NodeJS.Timeout | undefined;

  constructor(
    private readonly neighbor: Neighbor,
    mode: LiveMode,
    target: { host: string; port: number },
    checkerHost: string,
  ) {
    this.failed = new Promise<string>((resolve) => {
      this.giveUp = resolve;
    });
    const configured = neighbor.localAddress === 'auto' ? undefined : neighbor.localAddress;
    // On loopback the connection leaves from the address it goes to when none is configured.
    const facts: SessionFacts = { localAddress: configured ?? checkerHost };
    const open = openFor(neighbor, facts, { softwareVersion: EXABGP_TEST_SOFTWARE_VERSION });
    if (neighbor.peerAs === 'auto')
      throw new WireError(`neighbor ${neighbor.peerAddress}: peer-as auto is not supported live`);
    const fsm = bgpFsm({
      localAs: open.asn,
      peerAs: neighbor.peerAs,
      routerId: open.bgpIdentifier,
      holdTime: open.holdTime,
      capabilities: open.capabilities,
      // one attempt, as the test's one connection: after an error the FSM stays in Idle until stopped
      idleHoldTime: 0,
      connectRetryTime: 5,
    });
    this.driver = createDriver(TRANSPORT_DRIVERS[mode]);
    this.runner = this.driver.run(exabgpFsm(fsm, encodeOpen(open)), {
      target: { ...target, timeoutMs: 5000, ...(configured !== undefined ? { localAddress: configured } : {}) },
      observe: (effect) => this.observe(effect, facts),
      received: () => {
        if (this.firstRead === undefined) return;
        clearTimeout(this.firstRead);
        this.firstRead = undefined;
        // after the FSM has taken the message (the drivers hand it over right after this hook)
        setImmediate(() => this.announce(facts));
      },
    });
    this.runner.done.catch(() => undefined);
  }

  /** The last thing the speaker reported (a NOTIFICATION), for a verdict that lacks messages. */
  note(): string | undefined {
    return this.error ?? this.notes.at(-1);
  }

  /** ManualStop (a Cease if a session is open), bounded; then everything the driver holds is released. */
  async stop(): Promise<void> {
    clearTimeout(this.firstRead);
    this.firstRead = undefined;
    this.runner.post({ kind: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
    });
    await Promise.race([this.runner.done.catch(() => undefined), late]);
    clearTimeout(timer);
    // Whatever the stop left (a connection still closing, or an FSM that did not stop in time) is reset.
    this.runner.destroy();
    this.driver.close();
  }

  private observe(effect: Effect, facts: SessionFacts): void {
    switch (effect.kind) {
      case 'open-received':
        this.negotiated = effect.negotiated;
        return;
      case 'state':
        this.established = effect.to === 'Established';
        if (this.established) {
          this.firstRead = setTimeout(() => {
            this.firstRead = undefined;
            this.announce(facts);
          }, FIRST_READ_MS);
        } else {
          clearTimeout(this.firstRead);
          this.firstRead = undefined;
        }
        return;
      case 'notification':
        this.notes.push(
          `our speaker ${effect.direction} NOTIFICATION ${effect.code}/${effect.subcode} (${notificationName(effect.code, effect.subcode)})`,
        );
        return;
      default:
        return;
    }
  }

  /** Once Established: the configured routes, then the End-of-RIBs (ExaBGP's order), in batches of 25. */
  private announce(facts: SessionFacts): void {
    const negotiated = this.negotiated;
    if (negotiated === undefined || !this.established) return;
    let messages: Uint8Array[];
    try {
      messages = [...initialMessagesFor(this.neighbor, negotiated, facts)];
    } catch (error) {
      this.error = `our speaker cannot build its messages: ${firstLine(error)}`;
      this.giveUp(this.error);
      return;
    }
    for (let at = 0; at < messages.length; at += BATCH) {
      this.runner.post({ kind: 'send-updates', messages: messages.slice(at, at + BATCH) });
    }
  }
}

/** The counts of a mode's results. */
export function countLiveResults(results: readonly LiveResult[]): { passed: number; total: number } {
  return countResults(results).encoding;
}

/** One line per test (details indented under failures), then `conformance live MODE: encoding P/T`. */
export function formatLiveResults(mode: LiveMode, results: readonly LiveResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(
      `${result.status.toUpperCase()} live ${mode} ${result.name}: ${result.reason} (${result.durationMs} ms, driver ${result.driver})`,
    );
    if (result.status === 'fail' && result.detail) for (const line of result.detail) lines.push(`    ${line}`);
  }
  const { passed, total } = countLiveResults(results);
  lines.push(`conformance live ${mode}: encoding ${passed}/${total}`);
  return lines;
}
