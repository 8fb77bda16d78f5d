import { describe, expect, it } from 'vitest';
import { Checker } from './checker.js';
import { expectationGroups, jsonExpectations, parseCi } from './ci.js';
import { checkerOpen } from './peer.js';

const MARKER = 'FF'.repeat(16);
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/:/g, ''), 'hex'));
const EOR = `${MARKER}:0017:02:00000000`;
const KEEPALIVE = `${MARKER}001304`;
const A = `${MARKER}:001B:02:0004180A0000:0000`;
const B = `${MARKER}:001B:02:0004180B0000:0000`;
const C = `${MARKER}:001B:02:0004180C0000:0000`;

describe('.ci files (qa/sbin/bgp parse_cmdline, Checker.group_messages)', () => {
  it('reads options, strips colons from raws, and drops any line with # like the checker', () => {
    const ci = parseCi(
      [
        'option:file:x.conf',
        'option:asn:65000',
        'option:open:inspect-open-message',
        '# a comment',
        `1:raw:${A}`,
        `1:raw:${B} # trailing comment drops the line`,
        'A2:notification:closing session',
        '2:cmd:announce route 10.0.0.0/24 next-hop self',
      ].join('\n'),
      'x.ci',
    );
    expect(ci.options).toMatchObject({ files: ['x.conf'], asn: 65000, inspectOpen: true, timeout: 3 });
    expect(ci.records.map((r) => `${r.connection}${r.sequence}:${r.encoding}`)).toEqual([
      'A1:raw',
      'A2:notification',
      'A2:cmd',
    ]);
    expect(ci.records[0]!.content).toBe(A.replace(/:/g, ''));
  });

  it('groups by (letter, N): letters in order, N numerically, cmd and json lines left out', () => {
    const ci = parseCi([`10:raw:${A}`, `2:raw:${B}`, `B1:raw:${C}`, `2:json:{}`].join('\n'), 'x.ci');
    const groups = expectationGroups(ci.records).map((g) => g.map((e) => e.record.step));
    expect(groups).toEqual([['2'], ['10'], ['B1']]);
  });

  it('json lines belong to the last non-End-of-RIB UPDATE written MARKER:LENGTH:TYPE:PAYLOAD (qa/bin/test_json)', () => {
    const ci = parseCi(
      [`1:raw:${A}`, `1:raw:${EOR}`, '1:json:{"a":1}', `A1:raw:${B}`, '1:json:{"b":2}'].join('\n'),
      'x.ci',
    );
    expect(jsonExpectations(ci.records).map((j) => [j.raw, j.text])).toEqual([
      [A.replace(/:/g, ''), '{"a":1}'],
      [A.replace(/:/g, ''), '{"b":2}'],
    ]);
  });
});

describe("ExaBGP's checker rules (qa/sbin/bgp Checker.expected)", () => {
  const checker = (...lines: string[]) => new Checker(parseCi(lines.join('\n'), 'x.ci').records);

  it('any order inside a group; KEEPALIVEs ignored; completed once every expectation matched', () => {
    const c = checker(`1:raw:${A}`, `1:raw:${B}`);
    expect(c.offer(bytes(KEEPALIVE)).ok).toBe(true);
    expect(c.offer(bytes(B)).ok).toBe(true);
    expect(c.completed()).toBe(false);
    expect(c.offer(bytes(A)).ok).toBe(true);
    expect(c.completed()).toBe(true);
  });

  it('groups are consumed strictly in order', () => {
    const c = checker(`1:raw:${A}`, `2:raw:${B}`);
    const outcome = c.offer(bytes(B));
    expect(outcome.ok).toBe(false);
  });

  it('an End-of-RIB must be listed while expectations remain; after completion it is accepted, other messages are not', () => {
    const c = checker(`1:raw:${A}`);
    expect(c.offer(bytes(EOR)).ok).toBe(false);
    const d = checker(`1:raw:${A}`);
    d.offer(bytes(A));
    expect(d.offer(bytes(EOR)).ok).toBe(true);
    expect(d.offer(bytes(B))).toMatchObject({ ok: false, reason: 'received extra message' });
  });

  it('a notification line is an action of the peer once it heads the current group', () => {
    const c = checker(`1:raw:${A}`, '2:notification:closing session because we can');
    const outcome = c.offer(bytes(A));
    expect(outcome).toMatchObject({
      ok: true,
      actions: [{ kind: 'notification', text: 'closing session because we can' }],
    });
    expect(c.completed()).toBe(true);
  });
});

describe("the checker's echoed OPEN (qa/sbin/bgp Message.open)", () => {
  // version 4, AS 65533, hold 180, id 10.0.0.2, 4-octet AS capability 65533
  const ours = bytes(`${MARKER}00250104FFFD00B40A000002080206410400 00FFFD`.replace(/ /g, ''));

  it('echoes the OPEN with the last byte of the BGP Identifier plus one', () => {
    expect(Buffer.from(checkerOpen(ours, {})).toString('hex').toUpperCase()).toBe(
      `${MARKER}00250104FFFD00B40A000003080206410400 00FFFD`.replace(/ /g, ''),
    );
  });

  it('option:asn replaces the 2-octet AS and the 4-octet AS capability, identifier unchanged', () => {
    expect(
      Buffer.from(checkerOpen(ours, { asn: 65000 }))
        .toString('hex')
        .toUpperCase(),
    ).toBe(`${MARKER}00250104FDE800B40A000002080206410400 00FDE8`.replace(/ /g, ''));
  });

  // the parameter is 14 octets (02 0C 42 0A + 10 octets of text): message and parameters lengths grow by 14
  it('send-unknown-capability appends capability 66 "loremipsum" in its own parameter', () => {
    const echoed = checkerOpen(ours, { sendUnknownCapability: true });
    expect(Buffer.from(echoed).toString('hex').toUpperCase()).toBe(
      `${MARKER}00330104FFFD00B40A000003160206410400 00FFFD020C420A${Buffer.from('loremipsum').toString('hex').toUpperCase()}`.replace(
        / /g,
        '',
      ),
    );
  });
});
