// A TypeScript consumer of the installed tarball, type-checked under node16 and bundler resolution.
import {
  ASN4_CONTEXT,
  BgpError,
  type BgpMessage,
  type CodecContext,
  decodeMessage,
  encodeMessage,
  type Frame,
  FrameParser,
  makeContext,
  type PathAttribute,
  type UpdateMessage,
} from 'bgp-codec';

export function describeMessage(message: BgpMessage): string {
  switch (message.type) {
    case 'update':
      return `UPDATE: ${message.nlri.length} routes, ${message.withdrawn.length} withdrawn, ${message.outcome ?? 'ok'}`;
    case 'open':
      return `OPEN from AS ${message.asn}, hold time ${message.holdTime}`;
    case 'notification':
      return `NOTIFICATION ${message.code}/${message.subcode}`;
    default:
      return message.type;
  }
}

export function nextHops(update: UpdateMessage): number[] {
  return update.attributes.flatMap((attribute: PathAttribute) =>
    attribute.kind === 'next-hop' ? [attribute.nextHop] : [],
  );
}

export function readAll(chunks: Uint8Array[], ctx: CodecContext = ASN4_CONTEXT): BgpMessage[] {
  const parser = new FrameParser();
  const out: BgpMessage[] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (const frame of parser.frames() as Iterable<Frame>) {
      try {
        out.push(decodeMessage(frame.message, ctx));
      } catch (error) {
        if (error instanceof BgpError) {
          const code: number = error.code;
          const data: Uint8Array = error.data;
          throw new Error(`NOTIFICATION ${code}/${error.subcode} (${data.length} bytes)`);
        }
        throw error;
      }
    }
  }
  return out;
}

export const bytes: Uint8Array = encodeMessage({ type: 'keepalive' }, makeContext({ asn4: true }));

// The declarations are real types, not `any`: each line below must be a type error.
// @ts-expect-error 'hello' is not a message type
export const wrongType: BgpMessage['type'] = 'hello';
// @ts-expect-error decodeMessage takes bytes, not a string
decodeMessage('ffffffff', ASN4_CONTEXT);
// @ts-expect-error an UPDATE has no holdTime
export const noHoldTime = (message: UpdateMessage) => message.holdTime;
