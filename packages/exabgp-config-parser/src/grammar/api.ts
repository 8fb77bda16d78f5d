/** `api [NAME] { processes [ ... ]; neighbor-changes; send { ... } receive { ... } }` (configuration/neighbor/api.py). */

import type { Token } from '../lexer.js';
import type { Api, ApiMessages } from '../model.js';
import { booleanValue } from '../values.js';
import type { Words } from '../words.js';
import type { ConfigurationParser } from './parser.js';
import type { BlockHandler, Draft, LeafHandler } from './types.js';

const API_MESSAGES = [
  'parsed',
  'packets',
  'consolidate',
  'open',
  'update',
  'notification',
  'keepalive',
  'refresh',
  'operational',
] as const;

export function apiBlock(
  p: ConfigurationParser,
  draft: Draft,
  opener: Token,
  nameToken: Token | undefined,
  where: string,
): void {
  const messages = (): ApiMessages => ({
    parsed: false,
    packets: false,
    consolidate: false,
    open: false,
    update: false,
    notification: false,
    keepalive: false,
    refresh: false,
    operational: false,
  });
  p.apiCounter++;
  const api: Api = {
    name: nameToken?.text ?? `api-${p.apiCounter}`,
    processes: [],
    processesMatch: [],
    neighborChanges: false,
    negotiated: false,
    fsm: false,
    signal: false,
    send: messages(),
    receive: messages(),
  };
  const flag = (set: (value: boolean) => void) => (w: Words) => {
    set(w.more() ? w.value('a boolean', booleanValue) : true);
    w.end();
  };
  const direction = (target: ApiMessages, name: string): BlockHandler => {
    return (w, kw) => {
      w.end();
      const leaves: Record<string, LeafHandler> = {};
      for (const message of API_MESSAGES) {
        leaves[message] = flag((v) => {
          target[message] = v;
        });
      }
      p.block({ name: `${where} / ${name}`, leaves, blocks: {} }, kw);
    };
  };
  p.block(
    {
      name: where,
      leaves: {
        processes: (w) => {
          for (const token of nameList(w, 'process names')) {
            api.processes.push(token.text);
            p.processUses.push({ token, name: token.text });
          }
          w.end();
        },
        'processes-match': (w) => {
          for (const token of nameList(w, 'process name patterns')) {
            try {
              new RegExp(token.text);
            } catch {
              throw w.error(token, `'${token.text}' is not a valid regular expression`, 'a regular expression');
            }
            api.processesMatch.push(token.text);
          }
          w.end();
        },
        'neighbor-changes': flag((v) => {
          api.neighborChanges = v;
        }),
        negotiated: flag((v) => {
          api.negotiated = v;
        }),
        fsm: flag((v) => {
          api.fsm = v;
        }),
        signal: flag((v) => {
          api.signal = v;
        }),
      },
      blocks: { send: direction(api.send, 'send'), receive: direction(api.receive, 'receive') },
    },
    opener,
  );
  if (api.processes.length > 0 && api.processesMatch.length > 0) {
    throw p.lexer.error(opener, 'processes and processes-match are mutually exclusive', 'one of them');
  }
  draft.api.push(api);
}

/** `[ a b c ]` or `a`; returns the name tokens */
function nameList(w: Words, what: string): Token[] {
  const first = w.next(what);
  if (first.quoted || first.text !== '[') return [first];
  const names: Token[] = [];
  for (;;) {
    const token = w.next("']'");
    if (!token.quoted && token.text === ']') return names;
    if (!token.quoted && token.text === ',') continue;
    names.push(token);
  }
}
