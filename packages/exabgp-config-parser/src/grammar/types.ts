import type { Statement, Token } from '../lexer.js';
import type { AddPathFamily, Api, Family, NextHopFamily, OperationalMessage, Route, TcpAo } from '../model.js';
import type { Words } from '../words.js';

/** The rule of a statement keyword (`keyword ...;`): it reads the words after the keyword. */
export type LeafHandler = (w: Words, keyword: Token) => void;
/** The rule of a block keyword (`keyword ... {`): it reads the words, then the block's statements. */
export type BlockHandler = (w: Words, keyword: Token, statement: Statement) => void;

/** A block's keyword table: its statements and its sub-blocks, each keyword with its rule. */
export interface BlockSpec {
  /** the block's path for messages (`neighbor 127.0.0.1 / capability`) */
  name: string;
  leaves: Record<string, LeafHandler>;
  blocks: Record<string, BlockHandler>;
  /** statements of a route body: one handler for every keyword in `leaves` (no closure per keyword and route) */
  statement?: LeafHandler;
}

/** A neighbor or template being parsed: what was written, before templates are applied. */
export interface Draft {
  name: string;
  keyword: Token;
  nameToken: Token;
  settings: Map<string, unknown>;
  capability: Map<string, unknown>;
  families: Family[];
  familyBlock: boolean;
  addPath: AddPathFamily[];
  addPathBlock: boolean;
  nexthop: NextHopFamily[];
  tcpAo: Partial<TcpAo> | undefined;
  api: Api[];
  routes: Route[];
  operational: OperationalMessage[];
  inherit: Token[];
}

/** An empty draft: where the routes of a neighbor, a template or an API command are collected. */
export function newDraft(name: string, keyword: Token, nameToken: Token): Draft {
  return {
    name,
    keyword,
    nameToken,
    settings: new Map(),
    capability: new Map(),
    families: [],
    familyBlock: false,
    addPath: [],
    addPathBlock: false,
    nexthop: [],
    tcpAo: undefined,
    api: [],
    routes: [],
    operational: [],
    inherit: [],
  };
}
