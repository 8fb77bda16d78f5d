/**
 * The scale the issue measures the codec against: a bare, hand-written decoder of exactly the typical UPDATE
 * (ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF, COMMUNITIES, IPv4 NLRI), with no registry, no RFC 7606
 * bookkeeping and no validation beyond bounds. It builds the same information (numbers, one array per list,
 * one object per prefix), so the ratio to it is the price of the codec's generality and checks.
 */
export interface BareUpdate {
  origin: number;
  asPath: number[];
  nextHop: number;
  med: number;
  localPref: number;
  communities: number[];
  nlri: { length: number; address: number }[];
}

function u32(m: Uint8Array, at: number): number {
  return ((m[at]! << 24) | (m[at + 1]! << 16) | (m[at + 2]! << 8) | m[at + 3]!) >>> 0;
}

export function bareDecodeUpdate(m: Uint8Array): BareUpdate {
  const end = (m[16]! << 8) | m[17]!;
  let i = 19;
  const withdrawn = (m[i]! << 8) | m[i + 1]!;
  i += 2 + withdrawn;
  const attributesEnd = i + 2 + ((m[i]! << 8) | m[i + 1]!);
  i += 2;
  const u: BareUpdate = { origin: 0, asPath: [], nextHop: 0, med: 0, localPref: 0, communities: [], nlri: [] };
  while (i < attributesEnd) {
    const flags = m[i]!;
    const code = m[i + 1]!;
    let length: number;
    if (flags & 0x10) {
      length = (m[i + 2]! << 8) | m[i + 3]!;
      i += 4;
    } else {
      length = m[i + 2]!;
      i += 3;
    }
    const valueEnd = i + length;
    switch (code) {
      case 1:
        u.origin = m[i]!;
        break;
      case 2:
        for (let s = i; s < valueEnd; ) {
          const count = m[s + 1]!;
          for (let k = 0; k < count; k++) u.asPath.push(u32(m, s + 2 + k * 4));
          s += 2 + count * 4;
        }
        break;
      case 3:
        u.nextHop = u32(m, i);
        break;
      case 4:
        u.med = u32(m, i);
        break;
      case 5:
        u.localPref = u32(m, i);
        break;
      case 8:
        for (let s = i; s < valueEnd; s += 4) u.communities.push(u32(m, s));
        break;
    }
    i = valueEnd;
  }
  while (i < end) {
    const length = m[i++]!;
    const octets = (length + 7) >>> 3;
    let address = 0;
    for (let k = 0; k < 4; k++) address = (address << 8) | (k < octets ? m[i + k]! : 0);
    u.nlri.push({ length, address: address >>> 0 });
    i += octets;
  }
  return u;
}
