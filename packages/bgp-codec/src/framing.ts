import { HEADER_LENGTH, MAX_EXTENDED_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH, MessageType } from './constants.js';
import { BgpError, ErrorCode, HeaderSubcode, u16Data } from './errors.js';

/** One whole BGP message as framed from the byte stream. */
export interface Frame {
  /** The message type (RFC 4271 §4.1). */
  readonly type: number;
  /** The whole message, header included: a view, not a copy (see {@link FrameParser}). */
  readonly message: Uint8Array;
  /** The message after its 19-byte header: a view into {@link Frame.message}. */
  readonly body: Uint8Array;
}

/** RFC 4271 §6.1: the smallest length each message type can have (ROUTE-REFRESH: RFC 2918). */
const MIN_LENGTH: Readonly<Record<number, number>> = {
  [MessageType.OPEN]: 29,
  [MessageType.UPDATE]: 23,
  [MessageType.NOTIFICATION]: 21,
  [MessageType.KEEPALIVE]: 19,
  [MessageType.ROUTE_REFRESH]: 23,
};

/** How a {@link FrameParser} starts: its maximum message length and what it makes of unknown types. */
export interface FrameParserOptions {
  /** 4096, or 65535 once Extended Message (RFC 8654) is negotiated. */
  maxLength?: number;
  /** Hand on messages of types this codec does not know instead of failing with 1/3 Bad Message Type. */
  acceptUnknownTypes?: boolean;
}

/**
 * A streaming BGP frame parser (pg-protocol's shape): bytes go in as they arrive, in chunks of any size,
 * and whole messages come out. Messages that lie entirely inside one pushed chunk are handed out as views
 * of that chunk; only a partial message at the end of a chunk is copied, into one growable buffer that is
 * compacted in place. A frame's views stay valid until the next {@link FrameParser.push}: copy
 * (`frame.message.slice()`) whatever must outlive it.
 *
 * Header problems throw {@link BgpError} with the RFC 4271 §6.1 NOTIFICATION: 1/1 for a bad marker,
 * 1/2 with the length as data, 1/3 with the type as data. After an error the parser refuses more input.
 */
export class FrameParser {
  maxLength: number;
  acceptUnknownTypes: boolean;
  private chunk: Uint8Array = EMPTY;
  private offset = 0;
  /** Bytes carried over between pushes live in spill[spillStart, spillEnd). */
  private spill: Uint8Array = EMPTY;
  private spillStart = 0;
  private spillEnd = 0;
  private failed: BgpError | undefined;

  constructor(options: FrameParserOptions = {}) {
    this.maxLength = options.maxLength ?? MAX_MESSAGE_LENGTH;
    this.acceptUnknownTypes = options.acceptUnknownTypes ?? false;
  }

  /** Switch to RFC 8654 limits once Extended Message is negotiated (or back). */
  setExtendedMessage(enabled: boolean): void {
    this.maxLength = enabled ? MAX_EXTENDED_MESSAGE_LENGTH : MAX_MESSAGE_LENGTH;
  }

  /** Bytes received and not yet handed out as a frame. */
  get buffered(): number {
    return this.spillEnd - this.spillStart + (this.chunk.length - this.offset);
  }

  /** Give the parser the next bytes of the stream. Frames from earlier pushes become invalid. */
  push(data: Uint8Array): void {
    if (this.failed) throw this.failed;
    // Bytes of the previous chunk that were not framed yet are kept, never dropped.
    if (this.offset < this.chunk.length) this.appendSpill(this.chunk.subarray(this.offset));
    if (this.spillStart === this.spillEnd) {
      this.spillStart = this.spillEnd = 0;
    } else if (this.spillStart > 0) {
      // Earlier frames are invalid from here on, so the carried bytes may move to the front.
      this.spill.copyWithin(0, this.spillStart, this.spillEnd);
      this.spillEnd -= this.spillStart;
      this.spillStart = 0;
    }
    this.chunk = data;
    this.offset = 0;
  }

  /** The next whole message, or `undefined` when more bytes are needed. */
  next(): Frame | undefined {
    if (this.failed) throw this.failed;
    if (this.spillEnd > this.spillStart) return this.nextFromSpill();
    const chunk = this.chunk;
    const start = this.offset;
    const available = chunk.length - start;
    if (available < HEADER_LENGTH) {
      if (available > 0) this.moveRestToSpill();
      return undefined;
    }
    const length = this.checkHeader(chunk, start);
    if (available < length) {
      this.moveRestToSpill();
      return undefined;
    }
    this.offset = start + length;
    return new FramedMessage(chunk[start + 18] as number, chunk.subarray(start, start + length));
  }

  /** Every whole message available now. */
  *frames(): Generator<Frame, void, undefined> {
    for (let frame = this.next(); frame !== undefined; frame = this.next()) yield frame;
  }

  /** Drop all buffered bytes and any error (a new connection). */
  reset(): void {
    this.chunk = EMPTY;
    this.offset = 0;
    this.spillStart = this.spillEnd = 0;
    this.failed = undefined;
  }

  /** Complete the message that starts in the spill with bytes of the current chunk, as few as it needs. */
  private nextFromSpill(): Frame | undefined {
    if (this.spillEnd - this.spillStart < HEADER_LENGTH) this.pull(HEADER_LENGTH - (this.spillEnd - this.spillStart));
    if (this.spillEnd - this.spillStart < HEADER_LENGTH) return undefined;
    const length = this.checkHeader(this.spill, this.spillStart);
    if (this.spillEnd - this.spillStart < length) this.pull(length - (this.spillEnd - this.spillStart));
    if (this.spillEnd - this.spillStart < length) return undefined;
    const message = this.spill.subarray(this.spillStart, this.spillStart + length);
    this.spillStart += length;
    return new FramedMessage(message[18] as number, message);
  }

  private pull(wanted: number): void {
    const take = Math.min(wanted, this.chunk.length - this.offset);
    if (take <= 0) return;
    this.appendSpill(this.chunk.subarray(this.offset, this.offset + take));
    this.offset += take;
  }

  private moveRestToSpill(): void {
    this.appendSpill(this.chunk.subarray(this.offset));
    this.chunk = EMPTY;
    this.offset = 0;
  }

  /**
   * Append at the end of the spill. Growing copies into a new array and leaves the old one untouched, so
   * frames handed out since the last push keep their bytes.
   */
  private appendSpill(data: Uint8Array): void {
    const need = this.spillEnd + data.length;
    if (need > this.spill.length) {
      const used = this.spillEnd - this.spillStart;
      const grown = new Uint8Array(Math.max(used + data.length, this.spill.length * 2, 1024));
      grown.set(this.spill.subarray(this.spillStart, this.spillEnd));
      this.spill = grown;
      this.spillStart = 0;
      this.spillEnd = used;
    }
    this.spill.set(data, this.spillEnd);
    this.spillEnd += data.length;
  }

  /** RFC 4271 §6.1 header checks; returns the message length. */
  private checkHeader(buf: Uint8Array, at: number): number {
    for (let i = at; i < at + 16; i++) {
      if (buf[i] !== 0xff) {
        return this.fail(
          new BgpError(
            'connection-not-synchronized',
            ErrorCode.MESSAGE_HEADER,
            HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED,
            undefined,
            'bad marker: the 16-byte header marker is not all ones',
          ),
        );
      }
    }
    const length = ((buf[at + 16] as number) << 8) | (buf[at + 17] as number);
    const type = buf[at + 18] as number;
    const min = MIN_LENGTH[type];
    if (min === undefined && !this.acceptUnknownTypes) {
      return this.fail(
        new BgpError(
          'bad-message-type',
          ErrorCode.MESSAGE_HEADER,
          HeaderSubcode.BAD_MESSAGE_TYPE,
          Uint8Array.of(type),
          `bad message type ${type}`,
        ),
      );
    }
    const tooShort = length < (min ?? HEADER_LENGTH);
    const keepaliveLength = type === MessageType.KEEPALIVE && length !== HEADER_LENGTH;
    if (tooShort || keepaliveLength || length > this.maxLength) {
      return this.fail(
        new BgpError(
          'bad-message-length',
          ErrorCode.MESSAGE_HEADER,
          HeaderSubcode.BAD_MESSAGE_LENGTH,
          u16Data(length),
          `bad message length ${length} for message type ${type} (maximum ${this.maxLength})`,
        ),
      );
    }
    return length;
  }

  private fail(error: BgpError): never {
    this.failed = error;
    throw error;
  }
}

const EMPTY = new Uint8Array(0);

/** A framed message; its body view is made only when asked for (most callers decode from `message`). */
class FramedMessage implements Frame {
  constructor(
    readonly type: number,
    readonly message: Uint8Array,
  ) {}

  get body(): Uint8Array {
    return this.message.subarray(HEADER_LENGTH);
  }
}
