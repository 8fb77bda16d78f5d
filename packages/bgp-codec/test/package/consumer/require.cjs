// A CommonJS consumer: require() of the ESM-only package (Node 20.19 and later), and the same classes as import.
const assert = require('node:assert/strict');
const codec = require('bgp-codec');

assert.equal(typeof codec.decodeMessage, 'function');
assert.throws(
  () => codec.decodeMessage(new Uint8Array(3)),
  (error) => error instanceof codec.BgpError && error.code === 1 && error.subcode === 2,
);
import('bgp-codec').then((esm) => {
  assert.equal(esm.BgpError, codec.BgpError);
  console.log('bgp-codec consumer (CommonJS require): ok');
});
