import { BgpError, ErrorCode, UpdateSubcode } from 'bgp-codec';

/**
 * The FSM's default UPDATE check: RFC 4271 §6.3's length rules, the ones that make the message unparseable.
 * If the Withdrawn Routes Length or the Total Attribute Length does not fit the message, it is 3/1 Malformed
 * Attribute List. Returns nothing: a session that wants decoded routes passes the codec's UPDATE decoder as
 * `decodeUpdate`.
 */
export function checkUpdate(body: Uint8Array): undefined {
  const withdrawn = ((body[0] as number) << 8) | (body[1] as number);
  const attributesAt = 2 + withdrawn;
  if (attributesAt + 2 > body.length) {
    throw malformed(`withdrawn routes length ${withdrawn} overruns the UPDATE`);
  }
  const attributes = ((body[attributesAt] as number) << 8) | (body[attributesAt + 1] as number);
  if (attributesAt + 2 + attributes > body.length) {
    throw malformed(`total path attribute length ${attributes} overruns the UPDATE`);
  }
  return undefined;
}

function malformed(message: string): BgpError {
  return new BgpError(
    'malformed-attribute-list',
    ErrorCode.UPDATE_MESSAGE,
    UpdateSubcode.MALFORMED_ATTRIBUTE_LIST,
    undefined,
    message,
  );
}
