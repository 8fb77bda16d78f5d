/** The values of the path attribute keywords that have a grammar of their own (lists, groups, brackets). */

import type { Token } from '../../lexer.js';
import type { AsPathSegment, Attributes } from '../../model.js';
import { asn, InvalidValue, integer, integerOrHex, ipv4Address, ipv6Address } from '../../values.js';
import type { Words } from '../../words.js';

/**
 * `as-path N`, `as-path [ N N ]` (AS_SEQUENCE), `as-path ( N N )` (AS_SET), several groups in a row, and a set
 * inside a sequence: `[ 1 2 ( 3 4 ) ]` is the sequence 1 2 followed by the set {3 4} (RFC 4271 §4.3).
 */
export function asPath(w: Words): AsPathSegment[] {
  const first = w.next('an AS path');
  if (first.quoted || (first.text !== '[' && first.text !== '(')) {
    return [{ type: 'sequence', asns: [w.convert(first, asn)] }];
  }
  const segments: AsPathSegment[] = [];
  let open: Token | undefined = first;
  while (open !== undefined) {
    if (open.text === '(') segments.push(asSet(w, open));
    else {
      let sequence: AsPathSegment = { type: 'sequence', asns: [] };
      for (;;) {
        const token = w.next(`']' closing the AS path opened at ${open.line}:${open.column}`);
        if (!token.quoted && token.text === ',') continue;
        if (!token.quoted && token.text === ']') break;
        if (!token.quoted && token.text === '(') {
          if (sequence.asns.length > 0) segments.push(sequence);
          segments.push(asSet(w, token));
          sequence = { type: 'sequence', asns: [] };
          continue;
        }
        sequence.asns.push(w.convert(token, asn));
      }
      if (sequence.asns.length > 0) segments.push(sequence);
    }
    const next = w.peekWord();
    open = next === '[' || next === '(' ? w.next('') : undefined;
  }
  return segments;
}

export function asSet(w: Words, open: Token): AsPathSegment {
  const set: AsPathSegment = { type: 'set', asns: [] };
  for (;;) {
    const token = w.next(`')' closing the AS set opened at ${open.line}:${open.column}`);
    if (!token.quoted && token.text === ',') continue;
    if (!token.quoted && token.text === ')') break;
    set.asns.push(w.convert(token, asn));
  }
  return set;
}

/** `aggregator ( ASN:IPV4 )` or `aggregator ASN:IPV4` */
export function aggregator(w: Words): { asn: number; address: string } {
  let token = w.next('ASN:IPV4');
  const eat = !token.quoted && token.text === '(';
  if (eat) token = w.next('ASN:IPV4');
  const value = w.convert(token, (t) => {
    const parts = t.split(':');
    if (parts.length !== 2) {
      throw new InvalidValue(`'${t}' is not a valid aggregator`, '(ASN:ROUTER-ID), e.g. ( 65001:192.0.2.1 )');
    }
    return { asn: asn(parts[0]!), address: ipv4Address(parts[1]!, 'aggregator address') };
  });
  if (eat) w.expect(')');
  return value;
}

/** `bgp-prefix-sid [ INDEX ]` or `[ INDEX, [ ( BASE,RANGE ) ... ] ]` (RFC 8669) */
export function prefixSid(w: Words): { labelIndex: number; srgbs: [number, number][] } {
  const open = w.expect('[');
  const labelIndex = w.value('the label index', (t) => integer(t, 0, 0xffffffff, 'label index'));
  const srgbs: [number, number][] = [];
  let inner = false;
  for (;;) {
    const token = w.next(`']' closing the prefix-sid opened at ${open.line}:${open.column}`);
    if (token.quoted) throw w.error(token, `unexpected '${token.text}'`, "'(BASE,RANGE)' or ']'");
    if (token.text === ',') continue;
    if (token.text === '[' && !inner) {
      inner = true;
      continue;
    }
    if (token.text === '(') {
      const base = w.value('the SRGB base', (t) => integer(t, 0, 0xffffff, 'SRGB base'));
      w.accept(',');
      const range = w.value('the SRGB range', (t) => integer(t, 0, 0xffffff, 'SRGB range'));
      w.expect(')');
      srgbs.push([base, range]);
      continue;
    }
    if (token.text === ']') {
      if (inner) {
        inner = false;
        continue;
      }
      return { labelIndex, srgbs };
    }
    throw w.error(token, `unexpected '${token.text}'`, "'( BASE,RANGE )' or ']'");
  }
}

/** `bgp-prefix-sid-srv6 ( l3-service|l2-service SID [BEHAVIOR [ [LB,LN,FUN,ARG,TL,TO] ]] )` (RFC 9252) */
export function prefixSidSrv6(w: Words): Attributes['bgpPrefixSidSrv6'] {
  w.expect('(');
  const service = w.value('l3-service or l2-service', (t) => {
    if (t !== 'l3-service' && t !== 'l2-service')
      throw new InvalidValue(`'${t}' is not a service`, 'l3-service or l2-service');
    return t;
  });
  const sid = w.value('an IPv6 SID', (t) => ipv6Address(t, 'SRv6 SID'));
  const result: NonNullable<Attributes['bgpPrefixSidSrv6']> = { service, sid };
  if (w.peekWord() !== ')') {
    result.behavior = w.value('an endpoint behavior', (t) => {
      const n = integerOrHex(t);
      if (n < 0 || n > 0xffff) throw new InvalidValue(`'${t}' is not a valid endpoint behavior`, 'a 16-bit number');
      return n;
    });
    if (w.peekWord() === '[') {
      w.next('[');
      const values: number[] = [];
      for (let i = 0; i < 6; i++) {
        if (i > 0) w.expect(',');
        values.push(w.value('a SID structure length', (t) => integer(t, 0, 255, 'SID structure length')));
      }
      w.expect(']');
      result.structure = values as [number, number, number, number, number, number];
    }
  }
  w.expect(')');
  return result;
}
