/**
 * One growable byte buffer for every encoder (protobuf-es's BinaryWriter shape): nested length fields
 * (attribute length, total path attribute length, MP_REACH_NLRI) are reserved with {@link ByteWriter.mark}
 * and filled in by {@link ByteWriter.fill} once the content is written.
 */
export class ByteWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initialSize = 4096) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** Start over at offset 0, keeping the buffer (a writer reused for every message allocates once). */
  reset(): this {
    this.pos = 0;
    return this;
  }

  /** Make room for `extra` more bytes after `pos`, doubling the buffer as often as needed. */
  ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Append one octet. */
  u8(value: number): this {
    this.ensure(1);
    this.buf[this.pos++] = value;
    return this;
  }

  /** Append a 2-octet big-endian value. */
  u16(value: number): this {
    this.ensure(2);
    this.view.setUint16(this.pos, value);
    this.pos += 2;
    return this;
  }

  /** Append a 4-octet big-endian value (taken as unsigned). */
  u32(value: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0);
    this.pos += 4;
    return this;
  }

  /** Append the octets of `data`. */
  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  /** Fill `count` bytes with `value` (the header marker). */
  fill8(value: number, count: number): this {
    this.ensure(count);
    this.buf.fill(value, this.pos, this.pos + count);
    this.pos += count;
    return this;
  }

  /** Reserve a `size`-byte length field here; returns where it is. */
  mark(size: 1 | 2): number {
    const at = this.pos;
    this.ensure(size);
    this.pos += size;
    return at;
  }

  /** Write into the field reserved at `at` the number of bytes written since it. */
  fill(at: number, size: 1 | 2): number {
    const length = this.pos - at - size;
    if (size === 1) {
      if (length > 0xff) throw new RangeError(`length ${length} does not fit one byte`);
      this.buf[at] = length;
    } else {
      if (length > 0xffff) throw new RangeError(`length ${length} does not fit two bytes`);
      this.view.setUint16(at, length);
    }
    return length;
  }

  /** A copy of what was written, sized exactly. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
