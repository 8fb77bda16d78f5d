// A plain ESM JavaScript consumer of the installed tarball: decode, encode, frame, JSON, errors.
import assert from 'node:assert/strict';
import {
  ASN4_CONTEXT,
  BgpError,
  decodeMessage,
  encodeMessage,
  exabgpJson,
  FrameParser,
  notificationFromError,
  parseIpv4,
  parsePrefix,
  prefixToString,
} from 'bgp-codec';

const hex = (bytes) => Buffer.from(bytes).toString('hex');

// Encode: ORIGIN IGP, AS_PATH [65001], NEXT_HOP 198.51.100.1, NLRI 192.0.2.0/24 (bytes written out by hand)
const update = {
  type: 'update',
  withdrawn: [],
  nlri: [parsePrefix('192.0.2.0/24')],
  attributes: [
    { kind: 'origin', code: 1, origin: 0 },
    { kind: 'as-path', code: 2, segments: [{ type: 2, asns: [65001] }] },
    { kind: 'next-hop', code: 3, nextHop: parseIpv4('198.51.100.1') },
  ],
};
const bytes = encodeMessage(update, ASN4_CONTEXT);
const expected = `${'ff'.repeat(16)}002f02 0000 0014 40010100 4002060201 0000fde9 400304c6336401 18c00002`;
assert.equal(hex(bytes), expected.replace(/\s/g, ''));

// Decode it back
const decoded = decodeMessage(bytes, ASN4_CONTEXT);
assert.equal(decoded.type, 'update');
assert.deepEqual(decoded.nlri.map(prefixToString), ['192.0.2.0/24']);
assert.deepEqual(
  decoded.attributes.map((a) => a.kind),
  ['origin', 'as-path', 'next-hop'],
);
assert.equal(hex(encodeMessage(decoded, ASN4_CONTEXT)), hex(bytes));

// Frame a stream cut at every offset
for (let cut = 0; cut <= bytes.length; cut++) {
  const parser = new FrameParser();
  const seen = [];
  for (const chunk of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
    parser.push(chunk);
    for (const frame of parser.frames()) seen.push(hex(frame.message));
  }
  assert.deepEqual(seen, [hex(bytes)], `cut at ${cut}`);
}

// ExaBGP JSON
const line = exabgpJson(decoded, {
  neighbor: {
    localAddress: '127.0.0.1',
    peerAddress: '127.0.0.1',
    localAs: 65533,
    peerAs: 65533,
    routerId: '127.0.0.1',
  },
  direction: 'in',
  counter: 1,
  time: 0,
  host: 'h',
  pid: 0,
  ppid: 0,
});
assert.deepEqual(JSON.parse(line).neighbor.message.update.announce, {
  'ipv4 unicast': { '198.51.100.1': [{ nlri: '192.0.2.0/24' }] },
});

// A malformed message: a BgpError (the same class the package exports) and its NOTIFICATION
const truncated = bytes.subarray(0, bytes.length - 1);
assert.throws(
  () => decodeMessage(truncated, ASN4_CONTEXT),
  (error) => error instanceof BgpError && error.code === 1 && error.subcode === 2 && hex(error.data) === '002f',
);
try {
  decodeMessage(truncated, ASN4_CONTEXT);
} catch (error) {
  assert.equal(hex(encodeMessage(notificationFromError(error))), `${'ff'.repeat(16)}0017030102002f`);
}

console.log('bgp-codec consumer (plain ESM JavaScript): ok');
