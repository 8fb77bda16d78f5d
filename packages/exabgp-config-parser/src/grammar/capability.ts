/** `capability { }` and `tcp-ao { }` of a neighbor (configuration/capability.py, tcpao.py). */

import type { Token } from '../lexer.js';
import type { TcpAo } from '../model.js';
import { booleanValue, digits, InvalidValue, integer } from '../values.js';
import type { Words } from '../words.js';
import type { ConfigurationParser } from './parser.js';
import type { Draft } from './types.js';

const CAPABILITY_BARE: Record<string, unknown> = {
  nexthop: true,
  asn4: true,
  'graceful-restart': 0,
  'multi-session': true,
  operational: true,
  'route-refresh': true,
  aigp: true,
  'extended-message': true,
  'software-version': false,
  'link-local-nexthop': undefined,
  'link-local-prefer': false,
};

export function capabilityBlock(p: ConfigurationParser, draft: Draft, opener: Token, where: string): void {
  const bool = (w: Words, kw: Token): void => {
    const value = w.more() ? w.value('enable or disable', booleanValue) : CAPABILITY_BARE[kw.text];
    w.end();
    draft.capability.set(kw.text, value);
  };
  p.block(
    {
      name: where,
      leaves: {
        nexthop: bool,
        'add-path': (w, kw) => {
          const value = w.value('disable, receive, send or send/receive', (t) => {
            const modes: Record<string, number> = { disable: 0, disabled: 0, receive: 1, send: 2, 'send/receive': 3 };
            const mode = modes[t.toLowerCase()];
            if (mode === undefined) {
              throw new InvalidValue(
                `'${t}' is not a valid add-path option${t === 'receive/send' ? " (did you mean 'send/receive'?)" : ''}`,
                'disable, receive, send or send/receive',
              );
            }
            return mode;
          });
          w.end();
          draft.capability.set(kw.text, value);
        },
        asn4: bool,
        'graceful-restart': (w, kw) => {
          let value: number | false = 0;
          if (w.more()) {
            value = w.value('a restart time in seconds, or enable/disable', (t) => {
              const n = digits(t);
              if (n >= 0) {
                if (n > 0xfff)
                  throw new InvalidValue(
                    `graceful-restart time ${n} is out of range`,
                    '0 to 4095 seconds (RFC 4724 §3)',
                  );
                return n;
              }
              return booleanValue(t) ? 0 : false;
            });
          }
          w.end();
          draft.capability.set(kw.text, value);
        },
        'multi-session': bool,
        operational: bool,
        'route-refresh': bool,
        aigp: bool,
        'extended-message': bool,
        'software-version': bool,
        'link-local-nexthop': bool,
        'link-local-prefer': bool,
      },
      blocks: {},
    },
    opener,
  );
}

export function tcpAoBlock(p: ConfigurationParser, draft: Draft, opener: Token, where: string): void {
  const tcpAo: Partial<TcpAo> = draft.tcpAo ?? {};
  draft.tcpAo = tcpAo;
  const algorithms = ['hmac-sha-1-96', 'aes-128-cmac-96', 'hmac-sha-256'];
  p.block(
    {
      name: where,
      leaves: {
        keyid: (w) => {
          tcpAo.keyid = w.value('a key id', (t) => integer(t, 0, 255, 'keyid'));
          w.end();
        },
        algorithm: (w) => {
          tcpAo.algorithm = w.value(algorithms.join(', '), (t) => {
            if (!algorithms.includes(t))
              throw new InvalidValue(`'${t}' is not a valid TCP-AO algorithm`, algorithms.join(', '));
            return t;
          });
          w.end();
        },
        password: (w) => {
          tcpAo.password = w.next('the password').text;
          w.end();
        },
        base64: (w) => {
          tcpAo.base64 = w.more() ? w.value('a boolean', booleanValue) : true;
          w.end();
        },
      },
      blocks: {},
    },
    opener,
  );
  const missing = ['keyid', 'algorithm', 'password'].filter((k) => (tcpAo as Record<string, unknown>)[k] === undefined);
  if (missing.length > 0) {
    throw p.lexer.error(opener, `incomplete tcp-ao, missing ${missing.join(', ')}`, `${missing.join(', ')} in tcp-ao`);
  }
}
