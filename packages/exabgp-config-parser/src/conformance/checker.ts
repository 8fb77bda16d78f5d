import { type CiRecord, type Expectation, expectationGroups } from './ci.js';

/** What the checking peer does when an action expectation reaches the head of its list. */
export type PeerAction = { kind: 'notification'; text: string } | { kind: 'signal'; name: string };

export type CheckOutcome =
  /** the message matched an expectation (or was a KEEPALIVE, or an End-of-RIB after everything matched) */
  | { ok: true; matched?: Expectation; actions: PeerAction[] }
  /** the message matched nothing that was expected at this point */
  | { ok: false; reason: string; expected: Expectation[] };

const MARKER = 'F'.repeat(32);

/** Uppercase hex of a whole message. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += (byte < 16 ? '0' : '') + byte.toString(16);
  return out.toUpperCase();
}

/**
 * ExaBGP's functional-test checker (qa/sbin/bgp `Checker`), message by message:
 *
 * - expectations are grouped by (letter, N); groups are consumed strictly in order, and inside a group a
 *   message may match any remaining expectation;
 * - KEEPALIVEs are ignored;
 * - an End-of-RIB is a message like any other until every expectation has matched; after that it is accepted;
 * - any other message after every expectation matched is an error ("received extra message");
 * - a `notification:` or `signal:` expectation is an action of the peer, performed when it reaches the head
 *   of the current group after a match.
 */
export class Checker {
  private readonly sequences: Expectation[][];
  private current: Expectation[] = [];

  constructor(records: readonly CiRecord[]) {
    this.sequences = expectationGroups(records);
    this.current = this.sequences.shift() ?? [];
  }

  /** Expectations not matched yet, the current group first. */
  remaining(): Expectation[] {
    return [...this.current, ...this.sequences.flat()];
  }

  /** The group a message is matched against now. */
  currentGroup(): readonly Expectation[] {
    return this.current;
  }

  /** Every expectation has matched. */
  completed(): boolean {
    return this.current.length === 0 && this.sequences.length === 0;
  }

  /**
   * The actions due before any message is read (qa/sbin/bgp `handle_open` calls
   * `perform_actions_if_required` right after sending its OPEN, unless the OPEN is inspected).
   */
  initialActions(): PeerAction[] {
    return this.performActions();
  }

  /** Offer the next message the speaker sent. */
  offer(message: Uint8Array): CheckOutcome {
    const type = message[18];
    if (type === 4) return { ok: true, actions: [] };
    if (this.completed()) {
      if (isEndOfRib(message)) return { ok: true, actions: [] };
      return { ok: false, reason: 'received extra message', expected: [] };
    }
    const stream = toHex(message);
    for (let index = 0; index < this.current.length; index++) {
      const check = this.current[index]!;
      // the checker compares without the marker when an expectation is written without it
      const received = !check.value.startsWith(MARKER) && !check.value.includes(':') ? stream.slice(32) : stream;
      if (check.value === received) {
        this.current.splice(index, 1);
        return { ok: true, matched: check, actions: this.performActions() };
      }
    }
    return { ok: false, reason: 'message not expected here', expected: [...this.current] };
  }

  private advance(): void {
    if (this.current.length === 0 && this.sequences.length > 0) this.current = this.sequences.shift()!;
  }

  /** qa/sbin/bgp `perform_actions_if_required`: signal first, then notification. */
  private performActions(): PeerAction[] {
    const actions: PeerAction[] = [];
    this.advance();
    const head = this.current[0];
    if (head?.kind === 'signal') {
      this.current.shift();
      this.advance();
      actions.push({ kind: 'signal', name: head.value.slice(head.value.lastIndexOf(':') + 1).toUpperCase() });
    }
    this.advance();
    const next = this.current[0];
    if (next?.kind === 'notification') {
      this.current.shift();
      this.advance();
      actions.push({ kind: 'notification', text: next.value.slice(next.value.lastIndexOf(':') + 1) });
    }
    return actions;
  }
}

/** qa/sbin/bgp `Message.is_eor`: an UPDATE whose body is 4 (IPv4 unicast) or 11 (MP_UNREACH AFI/SAFI) bytes. */
export function isEndOfRib(message: Uint8Array): boolean {
  if (message[18] !== 2) return false;
  const bodyLength = message.length - 19;
  return bodyLength === 4 || bodyLength === 11;
}
