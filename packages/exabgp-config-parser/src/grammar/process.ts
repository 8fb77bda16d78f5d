/** `process NAME { run ...; encoder text|json; respawn BOOL; }` (configuration/process). */

import type { Token } from '../lexer.js';
import { booleanValue, InvalidValue } from '../values.js';
import type { Words } from '../words.js';
import type { ConfigurationParser } from './parser.js';

export function process(p: ConfigurationParser, w: Words, keyword: Token): void {
  const nameToken = w.next('a process name');
  w.end();
  const name = nameToken.text;
  if (p.processNames.has(name)) {
    throw w.error(nameToken, `process '${name}' is already defined`, 'a unique process name');
  }
  p.processNames.set(name, nameToken);
  let run: string[] | undefined;
  let encoder: 'text' | 'json' = 'text';
  let respawn = true;
  p.block(
    {
      name: `process ${name}`,
      leaves: {
        run: (v) => {
          const words: string[] = [];
          while (v.more()) words.push(v.next('a command').text);
          if (words.length === 0) throw v.next('the command to run');
          run = words;
        },
        encoder: (v) => {
          const value = v.value('text or json', (text) => {
            if (text !== 'text' && text !== 'json')
              throw new InvalidValue(`'${text}' is not a valid encoder`, 'text or json');
            return text;
          });
          v.end();
          encoder = value;
        },
        respawn: (v) => {
          respawn = v.more() ? v.value('a boolean', booleanValue) : true;
          v.end();
        },
      },
      blocks: {},
    },
    keyword,
  );
  if (run === undefined) {
    throw w.error(nameToken, `process '${name}' has no 'run' statement`, "'run PROGRAM ARGUMENTS;'");
  }
  p.processes.push({ name, run, encoder, respawn, location: p.location(keyword) });
}
