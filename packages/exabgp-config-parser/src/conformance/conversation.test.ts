import { describe, expect, it } from 'vitest';
import { parseCi } from './ci.js';
import { CheckerConversation } from './conversation.js';
import { CHECKER_UNKNOWN_MESSAGE, checkerNotification, checkerOpen } from './peer.js';

/**
 * One session of ExaBGP's checking peer (qa/sbin/bgp BGPProtocol handle_open / handle_message), without I/O:
 * what it writes back and when it decides.
 */
const MARKER = 'FF'.repeat(16);
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/[: ]/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
// version 4, AS 65533, hold 180, id 10.0.0.2, 4-octet AS capability 65533
const OPEN = `${MARKER}00250104FFFD00B40A000002080206410400 00FFFD`;
const KEEPALIVE = `${MARKER}001304`;
const EOR = `${MARKER}:0017:02:00000000`;
const A = `${MARKER}:001B:02:0004180A0000:0000`;
const B = `${MARKER}:001B:02:0004180B0000:0000`;

function conversation(...lines: string[]): CheckerConversation {
  return new CheckerConversation('t', parseCi(lines.join('\n'), 't.ci'));
}

describe('the checking peer answers the OPEN (handle_open)', () => {
  it('with the echoed OPEN and a KEEPALIVE; the OPEN itself is not matched', () => {
    const c = conversation(`1:raw:${A}`);
    const reply = c.open(bytes(OPEN));
    expect(reply.send.map(hex)).toEqual([hex(checkerOpen(bytes(OPEN), {})), KEEPALIVE]);
    expect(reply.verdict).toBeUndefined();
  });

  it('with send-unknown-message: then the 19-byte message of type 255', () => {
    const c = conversation('option:open:send-unknown-message', `1:raw:${A}`);
    expect(c.open(bytes(OPEN)).send.map(hex).at(-1)).toBe(hex(CHECKER_UNKNOWN_MESSAGE));
  });

  it('with inspect-open-message the OPEN is the first message matched', () => {
    const good = conversation('option:open:inspect-open-message', `1:raw:${OPEN}`);
    expect(good.open(bytes(OPEN)).verdict).toMatchObject({ status: 'pass', reason: '1 message(s) matched' });
    const bad = conversation('option:open:inspect-open-message', `1:raw:${OPEN.replace('00B4', '005A')}`);
    const verdict = bad.open(bytes(OPEN)).verdict;
    expect(verdict).toMatchObject({ status: 'fail', reason: 'message 1: message not expected here' });
    expect(verdict?.detail?.[0]).toMatch(/^expected: /);
  });

  it('a first message that is not an OPEN fails the test', () => {
    expect(conversation(`1:raw:${A}`).open(bytes(KEEPALIVE)).verdict).toMatchObject({
      status: 'fail',
      reason: 'the first message is not an OPEN',
    });
  });
});

describe('the checking peer reads the messages that follow (handle_message)', () => {
  it('answers each with a KEEPALIVE, ignores KEEPALIVEs, passes once every expectation matched', () => {
    const c = conversation(`1:raw:${A}`, `1:raw:${B}`, `2:raw:${EOR}`);
    c.open(bytes(OPEN));
    const keepalive = c.message(bytes(KEEPALIVE));
    expect(keepalive.send.map(hex)).toEqual([KEEPALIVE]);
    expect(keepalive.verdict).toBeUndefined();
    expect(c.message(bytes(B)).verdict).toBeUndefined();
    expect(c.message(bytes(A)).verdict).toBeUndefined();
    expect(c.message(bytes(EOR)).verdict).toMatchObject({ status: 'pass', reason: '3 message(s) matched' });
  });

  it('the first message that matches nothing expected now fails, shown side by side', () => {
    const c = conversation(`1:raw:${A}`, `2:raw:${B}`);
    c.open(bytes(OPEN));
    const verdict = c.message(bytes(B)).verdict;
    expect(verdict).toMatchObject({ status: 'fail', reason: 'message 1: message not expected here' });
    expect(verdict?.detail?.some((line) => line.startsWith('ours:'))).toBe(true);
  });

  it('an End-of-RIB that arrives before the last expectation is met must be listed', () => {
    const c = conversation(`1:raw:${A}`);
    c.open(bytes(OPEN));
    expect(c.message(bytes(EOR)).verdict?.status).toBe('fail');
  });

  it('a notification action sends Cease/2 with the text (RFC 9003) once it heads the group', () => {
    const c = conversation(`1:raw:${A}`, '2:notification:closing session because we can');
    c.open(bytes(OPEN));
    const reply = c.message(bytes(A));
    expect(reply.send.map(hex)).toEqual([KEEPALIVE, hex(checkerNotification('closing session because we can'))]);
    expect(reply.verdict?.status).toBe('pass');
  });

  it('a signal action cannot be performed: the test fails saying so', () => {
    const c = conversation(`1:raw:${A}`, '2:signal:SIGUSR1');
    c.open(bytes(OPEN));
    expect(c.message(bytes(A)).verdict).toMatchObject({
      status: 'fail',
      reason: 'the checker signals the speaker (SIGUSR1): not supported',
    });
  });
});

describe('when the messages stop', () => {
  it('no message for the timeout, or a closed connection, fails with what was still expected', () => {
    const waiting = conversation('option:timeout:5', `1:raw:${A}`);
    waiting.open(bytes(OPEN));
    const timeout = waiting.silent('why');
    expect(timeout).toMatchObject({ status: 'fail', reason: 'no message for 5s: 1 expectation(s) not matched (why)' });
    expect(timeout.detail?.[0]).toMatch(/^expected: update/);
    const closed = conversation(`1:raw:${A}`);
    closed.open(bytes(OPEN));
    expect(closed.silent(undefined, 'closed').reason).toBe('the connection closed: 1 expectation(s) not matched');
    expect(conversation(`1:raw:${A}`).silent(undefined, 'closed').reason).toBe(
      'the connection closed before an OPEN: 1 expectation(s) not matched',
    );
  });

  it('the verdict, once given, does not change', () => {
    const c = conversation(`1:raw:${A}`);
    c.open(bytes(OPEN));
    expect(c.message(bytes(A)).verdict?.status).toBe('pass');
    expect(c.silent('late').status).toBe('pass');
    expect(c.message(bytes(B)).verdict?.status).toBe('pass');
  });
});

describe("the checker's NOTIFICATION (qa/sbin/bgp Message.notify)", () => {
  it('Cease (6), Administrative Shutdown (2), a length octet and the UTF-8 text', () => {
    expect(hex(checkerNotification('bye'))).toBe(`${MARKER}0019030602 03 627965`.replace(/ /g, ''));
  });

  it('a text longer than 255 octets is cut to 255 (RFC 9003 §2)', () => {
    const long = checkerNotification('x'.repeat(300));
    expect(long.length).toBe(19 + 3 + 255);
    expect(long[21]).toBe(255);
  });
});
