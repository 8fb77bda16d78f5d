/**
 * RFC 4364 §4.2 Route Distinguisher: 8 octets, a 2-octet Type and a 6-octet Value whose layout the type
 * gives. Type 0: 2-octet Administrator (an AS), 4-octet Assigned Number; type 1: 4-octet Administrator (an
 * IPv4 address), 2-octet Assigned Number; type 2: 4-octet Administrator (a 4-octet AS, RFC 4364 §4.2 /
 * RFC 6793), 2-octet Assigned Number. Any other type is kept split as type 0 is, so it re-encodes exactly.
 */
export interface RouteDistinguisher {
  readonly type: number;
  /** The AS (types 0 and 2) or the IPv4 address as an unsigned number (type 1). */
  readonly administrator: number;
  readonly assigned: number;
}
