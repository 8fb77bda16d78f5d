/**
 * The long fuzz run: `pnpm --filter bgp-codec fuzz [cases] [seed]` (default 1,000,000 generated messages, each also mutated four ways).
 * The same properties as test/property-codec.test.ts at a scale CI cannot afford: generated valid messages
 * must round-trip both ways, and those messages mutated (bit flips, truncation, corrupted lengths, spliced
 * random bytes) must decode or fail with BgpError, never with anything else. Prints progress and the seed, so
 * a failure can be replayed with the same arguments.
 */
import fc from 'fast-check';
import { BgpError } from '../src/errors.js';
import { FrameParser } from '../src/framing.js';
import { decodeMessage, encodeMessage } from '../src/message.js';
import { messageInContextArb } from '../test/property-arbitraries.js';

const total = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
console.log(
  `fuzz: ${total.toLocaleString()} generated messages, ${(total * 4).toLocaleString()} mutations, seed ${seed}`,
);

let rng = seed >>> 0 || 1;
function random(n: number): number {
  rng ^= rng << 13;
  rng ^= rng >>> 17;
  rng ^= rng << 5;
  return (rng >>> 0) % n;
}

function mutate(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  switch (random(5)) {
    case 0:
      for (let k = 1 + random(8); k > 0; k--) {
        const at = 19 + random(Math.max(1, out.length - 19));
        if (at < out.length) out[at]! ^= 1 << random(8);
      }
      return out;
    case 1: {
      const length = 19 + random(Math.max(1, out.length - 19));
      const cut = out.slice(0, length);
      if (random(2)) {
        cut[16] = length >> 8;
        cut[17] = length & 0xff;
      }
      return cut;
    }
    case 2: {
      const at = 19 + random(Math.max(1, out.length - 20));
      const value = random(0x10000);
      out[at] = value >> 8;
      if (at + 1 < out.length) out[at + 1] = value & 0xff;
      return out;
    }
    case 3: {
      const at = 19 + random(Math.max(1, out.length - 19));
      for (let k = random(16); k > 0 && at + k < out.length; k--) out[at + k] = random(256);
      return out;
    }
    default:
      out[18] = 1 + random(5);
      return out;
  }
}

function hostile(bytes: Uint8Array, ctx: Parameters<typeof decodeMessage>[1]): void {
  const parser = new FrameParser({ maxLength: 65535 });
  try {
    parser.push(bytes);
    for (const frame of parser.frames()) decodeMessage(frame.message, ctx);
  } catch (error) {
    if (!(error instanceof BgpError)) {
      console.error(`fuzz: non-BgpError on ${Buffer.from(bytes).toString('hex')}`);
      throw error;
    }
  }
}

const started = performance.now();
let done = 0;
const batch = 10_000;
while (done < total) {
  const samples = fc.sample(messageInContextArb, { numRuns: Math.min(batch, total - done), seed: seed + done });
  for (const { ctx, message } of samples) {
    const bytes = encodeMessage(message, ctx);
    const decoded = decodeMessage(bytes, ctx);
    const again = encodeMessage(decoded, ctx);
    if (Buffer.compare(Buffer.from(again), Buffer.from(bytes)) !== 0) {
      throw new Error(
        `round trip changed ${Buffer.from(bytes).toString('hex')} into ${Buffer.from(again).toString('hex')}`,
      );
    }
    // Each valid message also yields four hostile ones.
    for (let k = 0; k < 4; k++) hostile(mutate(bytes), ctx);
  }
  done += samples.length;
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\rfuzz: ${done.toLocaleString()} valid + ${(done * 4).toLocaleString()} mutated, ${seconds.toFixed(0)} s`,
  );
}
console.log(`\nfuzz: no failure in ${(done * 5).toLocaleString()} cases (seed ${seed})`);
