import { Checker, type PeerAction, toHex } from './checker.js';
import type { CiFile, Expectation } from './ci.js';
import { describeMessage, sideBySide } from './describe.js';
import {
  CHECKER_DEFAULT_ROUTE,
  CHECKER_KEEPALIVE,
  CHECKER_UNKNOWN_MESSAGE,
  checkerNotification,
  checkerOpen,
} from './peer.js';
import { fail, pass, type TestResult } from './result.js';

/** What the checking peer does after reading one message from the speaker. */
export interface CheckerReply {
  /** whole messages the peer writes back, in order */
  send: Uint8Array[];
  /** set once the test is decided: the peer stops reading and closes the connection */
  verdict?: TestResult;
}

/**
 * One session of ExaBGP's checking peer (qa/sbin/bgp `BGPProtocol`), message by message and without I/O: the
 * same rules whether the speaker's messages come from a socket (the live run) or from the list our speaker
 * would send (the offline run).
 *
 * - `open()` takes the speaker's first message (`handle_open`): the peer answers with the echoed OPEN
 *   ({@link checkerOpen}), a KEEPALIVE and, with `send-unknown-message`, a message of type 255; the OPEN is
 *   matched only with `inspect-open-message`, otherwise the actions due at the start are performed.
 * - `message()` takes each later message (`handle_message`): the peer answers every one with a KEEPALIVE,
 *   then matches it with {@link Checker}; the first mismatch fails, completion passes.
 * - `silent()` is the verdict when no message came for `timeout` seconds, or the connection closed.
 *
 * Actions: `notification:TEXT` makes the peer send Cease/2 with TEXT ({@link checkerNotification});
 * `signal:SIG` would signal the speaker's process, which neither run supports: the test fails saying so.
 */
export class CheckerConversation {
  readonly checker: Checker;
  private matched = 0;
  private opened = false;
  private decided: TestResult | undefined;

  constructor(
    readonly name: string,
    readonly test: CiFile,
  ) {
    this.checker = new Checker(test.records);
  }

  /** The verdict, once there is one. */
  get verdict(): TestResult | undefined {
    return this.decided;
  }

  /** Expectations matched so far. */
  get matchedCount(): number {
    return this.matched;
  }

  /** The speaker's first message on the connection. */
  open(message: Uint8Array): CheckerReply {
    if (this.decided) return { send: [], verdict: this.decided };
    this.opened = true;
    const options = this.test.options;
    if (message[18] !== 1) {
      return this.decide(
        { send: [] },
        fail('encoding', this.name, 'the first message is not an OPEN', sideBySide(undefined, message)),
      );
    }
    const reply: CheckerReply = { send: [checkerOpen(message, options), CHECKER_KEEPALIVE.slice()] };
    if (options.sendUnknownMessage) reply.send.push(CHECKER_UNKNOWN_MESSAGE.slice());
    if (options.inspectOpen) return this.match(message, reply);
    const result = this.perform(this.checker.initialActions(), reply);
    if (result) return result;
    if (options.sendDefaultRoute) reply.send.push(CHECKER_DEFAULT_ROUTE.slice());
    if (this.checker.completed()) return this.decide(reply, this.passed());
    return reply;
  }

  /** A message after the OPEN. */
  message(message: Uint8Array): CheckerReply {
    if (this.decided) return { send: [], verdict: this.decided };
    if (!this.opened) return this.open(message);
    return this.match(message, { send: [CHECKER_KEEPALIVE.slice()] });
  }

  /**
   * No more messages: none for `timeout` seconds (`stopped` 'timeout'), or the connection closed ('closed').
   * The test fails unless every expectation matched. `why` says what stopped the messages (the speaker sent
   * a NOTIFICATION, the test needs an API process).
   */
  silent(why?: string, stopped: 'timeout' | 'closed' = 'timeout'): TestResult {
    if (this.decided) return this.decided;
    if (this.checker.completed()) return this.settle(this.passed());
    const left = this.checker.remaining();
    const next = left.find((e) => e.kind === 'raw');
    const waited =
      stopped === 'closed'
        ? this.opened
          ? 'the connection closed'
          : 'the connection closed before an OPEN'
        : this.opened
          ? `no message for ${this.test.options.timeout}s`
          : `no OPEN for ${this.test.options.timeout}s`;
    return this.settle(
      fail(
        'encoding',
        this.name,
        `${waited}: ${left.length} expectation(s) not matched${why ? ` (${why})` : ''}`,
        next ? [`expected: ${describeMessage(next.value)}`] : undefined,
      ),
    );
  }

  private match(message: Uint8Array, reply: CheckerReply): CheckerReply {
    const group = [...this.checker.currentGroup()];
    const outcome = this.checker.offer(message);
    if (!outcome.ok) {
      const expected = closest(
        [...outcome.expected, ...group].filter((e) => e.kind === 'raw'),
        toHex(message),
      );
      return this.decide(
        reply,
        fail(
          'encoding',
          this.name,
          `message ${this.matched + 1}: ${outcome.reason}`,
          sideBySide(expected?.value, message),
        ),
      );
    }
    if (outcome.matched) this.matched++;
    const result = this.perform(outcome.actions, reply);
    if (result) return result;
    if (this.checker.completed()) return this.decide(reply, this.passed());
    return reply;
  }

  private perform(actions: readonly PeerAction[], reply: CheckerReply): CheckerReply | undefined {
    for (const action of actions) {
      if (action.kind === 'signal') {
        return this.decide(
          reply,
          fail('encoding', this.name, `the checker signals the speaker (${action.name}): not supported`),
        );
      }
      reply.send.push(checkerNotification(action.text));
    }
    return undefined;
  }

  private passed(): TestResult {
    return pass('encoding', this.name, `${this.matched} message(s) matched`);
  }

  private decide(reply: CheckerReply, verdict: TestResult): CheckerReply {
    reply.verdict = this.settle(verdict);
    return reply;
  }

  private settle(verdict: TestResult): TestResult {
    this.decided = verdict;
    return verdict;
  }
}

/** The expectation most like the message: same length first, then the longest common prefix of hex. */
function closest(candidates: readonly Expectation[], hex: string): Expectation | undefined {
  let best: Expectation | undefined;
  let score = -1;
  for (const candidate of candidates) {
    let common = 0;
    while (common < hex.length && candidate.value[common] === hex[common]) common++;
    const value = (candidate.value.length === hex.length ? 1_000_000 : 0) + common;
    if (value > score) {
      best = candidate;
      score = value;
    }
  }
  return best;
}
