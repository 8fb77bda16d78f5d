/**
 * The grammar of ExaBGP 6's configuration (src/exabgp/configuration/** in ExaBGP's repository):
 *
 *   process NAME { run ...; encoder text|json; respawn BOOL; }
 *   template { neighbor NAME { <neighbor body> } }
 *   neighbor IP|PREFIX { <neighbor body> }
 *
 * Every block is a table of statement keywords (`keyword ...;`) and sub-block keywords (`keyword ... {`), so an
 * unknown keyword is reported with the block it is in, the keywords it accepts and the closest one.
 */

import { type FamilyKey, familyKey, familyName, familyRows } from 'bgp-codec';
import { ConfigError, suggest } from './errors.js';
import { FAMILY_SAFIS, family } from './families.js';
import {
  actionCommunity,
  discardCommunity,
  FLOW_MATCH_TYPES,
  flowPrefix,
  flowTerms,
  IPV4_ONLY,
  IPV6_ONLY,
  interfaceSet,
  markCommunity,
  nextHopCommunity,
  numericComponent,
  rateLimitCommunity,
  redirect,
  redirectIetf,
} from './flow.js';
import { Lexer, type Statement, type Token } from './lexer.js';
import type {
  AddPathFamily,
  AfiName,
  Api,
  ApiMessages,
  AsPathSegment,
  Attributes,
  Capabilities,
  Configuration,
  ExtendedCommunity,
  Family,
  FlowComponent,
  FlowNumericComponent,
  MupNlri,
  MvpnNlri,
  Neighbor,
  NextHopFamily,
  Nlri,
  OperationalMessage,
  Process,
  Route,
  RouteDistinguisher,
  SafiName,
  SourceLocation,
  SrPolicy,
  SrSegmentList,
  TcpAo,
} from './model.js';
import {
  asn,
  booleanValue,
  community,
  digits,
  extendedCommunity,
  formatIPv4,
  formatIPv6,
  hexData,
  InvalidValue,
  integer,
  integerOrHex,
  ipAddress,
  ipv4Address,
  ipv6Address,
  label,
  largeCommunity,
  type Prefix,
  parseIPv4,
  parseIPv6,
  prefix,
  routeDistinguisher,
} from './values.js';
import { Words } from './words.js';

type LeafHandler = (w: Words, keyword: Token) => void;
type BlockHandler = (w: Words, keyword: Token, statement: Statement) => void;

interface BlockSpec {
  /** the block's path for messages (`neighbor 127.0.0.1 / capability`) */
  name: string;
  leaves: Record<string, LeafHandler>;
  blocks: Record<string, BlockHandler>;
  /** statements of a route body: one handler for every keyword in `leaves` (no closure per keyword and route) */
  statement?: LeafHandler;
}

/** A neighbor or template being parsed: what was written, before templates are applied. */
interface Draft {
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

/** A route being assembled from its keywords. */
interface RouteDraft {
  /**
   * The source text of the path attributes, to share one Attributes object between routes written with the
   * same text: the current run [runStart, runEnd) of the source, and the runs before it (when other words,
   * such as next-hop, came between).
   */
  runStart: number;
  runEnd: number;
  attributeRuns?: string[];
  nextHop?: string | 'self';
  labels?: number[];
  rd?: RouteDistinguisher;
  pathInformation?: number;
  attributes: Attributes;
  split?: number;
  watchdog?: string;
  withdraw: boolean;
  name?: string;
}

const NEIGHBOR_BOOLEANS: Record<string, boolean> = {
  // the value taken when the keyword is written without one (ExaBGP's `default` table)
  passive: true,
  'group-updates': true,
  'auto-flush': true,
  'adj-rib-out': false,
  'adj-rib-in': false,
  'manual-eor': false,
  'md5-base64': false,
};

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

/** attribute keywords shared by every route form */
const ATTRIBUTE_KEYWORDS = [
  'next-hop',
  'origin',
  'med',
  'as-path',
  'local-preference',
  'atomic-aggregate',
  'aggregator',
  'originator-id',
  'cluster-list',
  'community',
  'large-community',
  'extended-community',
  'aigp',
  'attribute',
  'name',
  'split',
  'watchdog',
  'withdraw',
] as const;

/** keywords of `static { route ... }` (static/route.py) */
const STATIC_ROUTE_KEYWORDS = new Set<string>([
  ...ATTRIBUTE_KEYWORDS,
  'path-information',
  'rd',
  'route-distinguisher',
  'label',
  'bgp-prefix-sid',
  'bgp-prefix-sid-srv6',
]);

/** keywords per `announce { ipv4 { SAFI ... } }` family (announce/ip.py, path.py, label.py, vpn.py) */
const ANNOUNCE_KEYWORDS: Record<string, Set<string>> = {
  unicast: new Set([...ATTRIBUTE_KEYWORDS, 'path-information']),
  multicast: new Set(ATTRIBUTE_KEYWORDS),
  'nlri-mpls': new Set([...ATTRIBUTE_KEYWORDS, 'path-information', 'label', 'bgp-prefix-sid']),
  'mpls-vpn': new Set([
    ...ATTRIBUTE_KEYWORDS,
    'path-information',
    'label',
    'rd',
    'route-distinguisher',
    'bgp-prefix-sid',
    'bgp-prefix-sid-srv6',
  ]),
};

const VPLS_KEYWORDS = new Set<string>([...ATTRIBUTE_KEYWORDS, 'rd', 'endpoint', 'base', 'offset', 'size']);

const NLRI_ROUTE_KEYWORDS = new Set<string>([...ATTRIBUTE_KEYWORDS, 'bgp-prefix-sid-srv6']);

const SR_POLICY_KEYS = new Set([
  'preference',
  'priority',
  'binding-sid',
  'srv6-binding-sid',
  'policy-name',
  'candidate-path-name',
  'segment-list',
  'enlp',
]);

/** path attribute keywords (they write into Attributes; the others describe the NLRI or the route) */
const PATH_ATTRIBUTE_KEYWORDS = new Set([
  'origin',
  'med',
  'as-path',
  'local-preference',
  'atomic-aggregate',
  'aggregator',
  'originator-id',
  'cluster-list',
  'community',
  'large-community',
  'extended-community',
  'aigp',
  'attribute',
  'bgp-prefix-sid',
  'bgp-prefix-sid-srv6',
]);

/** the Attributes field each path attribute keyword sets */
const ATTRIBUTE_FIELDS: Record<string, keyof Attributes> = Object.assign(Object.create(null), {
  origin: 'origin',
  med: 'med',
  'as-path': 'asPath',
  'local-preference': 'localPreference',
  'atomic-aggregate': 'atomicAggregate',
  aggregator: 'aggregator',
  'originator-id': 'originatorId',
  'cluster-list': 'clusterList',
  community: 'communities',
  'large-community': 'largeCommunities',
  'extended-community': 'extendedCommunities',
  aigp: 'aigp',
  attribute: 'generic',
  'bgp-prefix-sid': 'bgpPrefixSid',
  'bgp-prefix-sid-srv6': 'bgpPrefixSidSrv6',
});

/**
 * Index just after the value of `keyword` starting at `start`, found by matching brackets only (no value
 * is converted); `start` itself when the keyword takes no value or the brackets do not close.
 */
function valueExtent(tokens: Token[], start: number, keyword: string): number {
  if (keyword === 'atomic-aggregate') return start;
  let i = start;
  for (;;) {
    const first = tokens[i];
    if (first === undefined) return start;
    if (first.quoted || (first.text !== '[' && first.text !== '(')) return i + 1;
    let depth = 0;
    for (; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.quoted) continue;
      if (t.text === '[' || t.text === '(') depth++;
      else if (t.text === ']' || t.text === ')') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (depth !== 0) return start;
    i++;
    // an AS path may be several groups in a row: `[ 1 2 ] ( 3 4 )`
    const next = tokens[i];
    if (keyword !== 'as-path' || next === undefined || next.quoted || (next.text !== '[' && next.text !== '(')) {
      return i;
    }
  }
}

/** ExaBGP's spelling of a family (`ipv4 unicast`) */
const nameOf = (f: Family): string => familyName(f.afiCode, f.safiCode);

/** shared by every prefix route written without path attributes */
const EMPTY_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

const keywordTables = new WeakMap<Set<string>, Record<string, LeafHandler>>();
/** a leaves table for block() whose handlers are never called (BlockSpec.statement handles the keywords) */
function keywordTable(keywords: Set<string>): Record<string, LeafHandler> {
  let table = keywordTables.get(keywords);
  if (table === undefined) {
    table = {};
    for (const keyword of keywords) table[keyword] = unreachableLeaf;
    keywordTables.set(keywords, table);
  }
  return table;
}
function unreachableLeaf(): void {
  throw new Error('route body statements go through BlockSpec.statement');
}

// value converters used once per route: module functions, so no closure is created per route
const anyPrefix = (t: string): Prefix => prefix(t);
const nextHopValue = (t: string): string => (t.length === 4 && t.toLowerCase() === 'self' ? 'self' : ipAddress(t).text);
const medValue = (t: string): number => integer(t, 0, 0xffffffff, 'MED');
const localPreferenceValue = (t: string): number => integer(t, 0, 0xffffffff, 'local-preference');
const originValue = (t: string): 'igp' | 'egp' | 'incomplete' => {
  const v = t.toLowerCase();
  if (v !== 'igp' && v !== 'egp' && v !== 'incomplete') {
    throw new InvalidValue(`'${t}' is not a valid origin`, 'igp, egp or incomplete');
  }
  return v;
};
const extendedCommunityValue = (t: string): ExtendedCommunity => ({ text: t, hex: extendedCommunity(t), ipv6: false });

export function parseConfiguration(source: string, file = '<text>'): Configuration {
  return new ConfigurationParser(source, file).parse();
}

class ConfigurationParser {
  private readonly lexer: Lexer;
  private readonly file: string;
  private readonly processes: Process[] = [];
  private readonly processNames = new Map<string, Token>();
  private readonly templates = new Map<string, Draft>();
  private readonly neighbors: Draft[] = [];
  private apiCounter = 0;
  /** Attributes objects by the text they were written with (see RouteDraft.attributeKey) */
  private readonly attributeSets = new Map<string, Attributes>();
  private readonly nextHops = new Map<string, string>();
  /** attribute values by their source text (`community [ 65000:1 ]`), see cachedAttributeValue */
  private readonly attributeValues = new Map<string, unknown>();
  /** every `processes [ NAME ]` written, checked against the process blocks once the file is read */
  private readonly processUses: { token: Token; name: string }[] = [];

  constructor(source: string, file: string) {
    this.lexer = new Lexer(source, file);
    this.file = file;
  }

  parse(): Configuration {
    for (;;) {
      const statement = this.lexer.next();
      if (statement === undefined) break;
      const w = new Words(this.lexer, statement);
      if (statement.tokens.length === 0) {
        if (statement.end === ';') continue;
        throw this.lexer.error(
          statement.endToken,
          statement.end === '}' ? "unexpected '}': no block is open" : "a block needs a keyword before '{'",
          'process, neighbor or template',
        );
      }
      const keyword = w.next('keyword');
      const root = ['process', 'neighbor', 'template'];
      if (keyword.quoted || !root.includes(keyword.text)) throw this.unknown(keyword, 'the top level', root, []);
      if (statement.end !== '{') {
        throw this.lexer.error(statement.endToken, `'${keyword.text}' opens a block`, "'{'");
      }
      if (keyword.text === 'process') this.process(w, keyword);
      else if (keyword.text === 'template') this.template(w, keyword);
      else this.neighborBlock(w, keyword, false);
    }
    const neighbors: Neighbor[] = [];
    const seen = new Map<string, Token>();
    for (const draft of this.neighbors) {
      const neighbor = this.resolve(draft);
      const key = `${neighbor.peerAddress} ${neighbor.localAddress}`;
      if (seen.has(key)) {
        throw this.lexer.error(
          draft.nameToken,
          `duplicate peer definition ${neighbor.peerAddress}`,
          'each neighbor once',
        );
      }
      seen.set(key, draft.nameToken);
      neighbors.push(neighbor);
    }
    this.checkApiProcesses(neighbors);
    return { file: this.file, processes: this.processes, neighbors, templates: [...this.templates.keys()] };
  }

  // --- generic block machinery ---------------------------------------------------------------------------

  private location(token: Token): SourceLocation {
    return { file: this.file, line: token.line, column: token.column };
  }

  private unknown(token: Token, where: string, leaves: string[], blocks: string[]): ConfigError {
    const all = [...leaves, ...blocks];
    const guess = suggest(token.text, all);
    const expected = `one of: ${[...leaves.map((k) => k), ...blocks.map((k) => `${k} { }`)].join(', ')}`;
    return new ConfigError(this.file, this.lexer.source, token, `unknown keyword '${token.text}' in ${where}`, {
      expected,
      ...(guess === undefined ? {} : { hint: `did you mean '${guess}'?` }),
    });
  }

  /** Reads statements until the `}` closing the block opened by `opener`. */
  private block(spec: BlockSpec, opener: Token): void {
    for (;;) {
      const statement = this.lexer.next();
      if (statement === undefined) {
        throw this.lexer.error(
          { line: opener.line, column: opener.column, length: opener.length },
          `block '${spec.name}' opened here is never closed`,
          "'}' before the end of the file",
        );
      }
      const tokens = statement.tokens;
      if (statement.end === '}') {
        if (tokens.length > 0) {
          const last = tokens[tokens.length - 1]!;
          throw this.lexer.error(
            { line: last.line, column: last.column + last.length, length: 1 },
            `statement '${tokens[0]!.text}' is not terminated before '}'`,
            "';'",
          );
        }
        return;
      }
      if (tokens.length === 0) {
        if (statement.end === ';') continue;
        throw this.lexer.error(statement.endToken, "a block needs a keyword before '{'", this.keywordList(spec));
      }
      const keyword = tokens[0]!;
      const w = new Words(this.lexer, statement, 1);
      if (statement.end === ';') {
        const leaf = keyword.quoted ? undefined : spec.leaves[keyword.text];
        if (leaf !== undefined && Object.hasOwn(spec.leaves, keyword.text)) {
          if (spec.statement !== undefined) spec.statement(w, keyword);
          else leaf(w, keyword);
          continue;
        }
        if (!keyword.quoted && Object.hasOwn(spec.blocks, keyword.text)) {
          throw this.lexer.error(statement.endToken, `'${keyword.text}' opens a block in ${spec.name}`, "'{'");
        }
      } else {
        const sub = keyword.quoted ? undefined : spec.blocks[keyword.text];
        if (sub !== undefined && Object.hasOwn(spec.blocks, keyword.text)) {
          sub(w, keyword, statement);
          continue;
        }
        if (!keyword.quoted && Object.hasOwn(spec.leaves, keyword.text)) {
          throw this.lexer.error(
            statement.endToken,
            `'${keyword.text}' is a statement, not a block, in ${spec.name}`,
            "';'",
          );
        }
      }
      throw this.unknown(keyword, spec.name, Object.keys(spec.leaves), Object.keys(spec.blocks));
    }
  }

  private keywordList(spec: BlockSpec): string {
    return `one of: ${[...Object.keys(spec.leaves), ...Object.keys(spec.blocks)].join(', ')}`;
  }

  // --- process ------------------------------------------------------------------------------------------

  private process(w: Words, keyword: Token): void {
    const nameToken = w.next('a process name');
    w.end();
    const name = nameToken.text;
    if (this.processNames.has(name)) {
      throw w.error(nameToken, `process '${name}' is already defined`, 'a unique process name');
    }
    this.processNames.set(name, nameToken);
    let run: string[] | undefined;
    let encoder: 'text' | 'json' = 'text';
    let respawn = true;
    this.block(
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
    this.processes.push({ name, run, encoder, respawn, location: this.location(keyword) });
  }

  // --- template / neighbor --------------------------------------------------------------------------------

  private template(w: Words, keyword: Token): void {
    w.end();
    this.block(
      {
        name: 'template',
        leaves: {},
        blocks: {
          neighbor: (v, kw) => this.neighborBlock(v, kw, true),
        },
      },
      keyword,
    );
  }

  private neighborBlock(w: Words, keyword: Token, isTemplate: boolean): void {
    const nameToken = w.next(isTemplate ? 'a template name' : 'the peer address');
    w.end();
    let name = nameToken.text;
    if (!isTemplate) {
      try {
        const peer = prefix(name);
        name = peer.length === (peer.afi === 'ipv4' ? 32 : 128) ? peer.address : peer.prefix;
      } catch (error) {
        if (error instanceof InvalidValue) {
          throw w.error(
            nameToken,
            `'${nameToken.text}' is not a valid peer address`,
            'an IP address or a prefix (e.g. 192.0.2.1 or 192.0.2.0/24)',
          );
        }
        throw error;
      }
    } else if (this.templates.has(name)) {
      throw w.error(nameToken, `template '${name}' is already defined`, 'a unique template name');
    }
    const draft: Draft = {
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
    this.block(this.neighborSpec(draft, isTemplate ? `template neighbor ${name}` : `neighbor ${name}`), keyword);
    if (isTemplate) this.templates.set(name, draft);
    else this.neighbors.push(draft);
  }

  private neighborSpec(draft: Draft, where: string): BlockSpec {
    const set =
      <T>(what: string, convert: (text: string) => T) =>
      (w: Words, kw: Token): void => {
        const value = w.value(what, convert);
        w.end();
        draft.settings.set(kw.text, value);
      };
    const bool = (w: Words, kw: Token): void => {
      const value = w.more() ? w.value('a boolean', booleanValue) : NEIGHBOR_BOOLEANS[kw.text]!;
      w.end();
      draft.settings.set(kw.text, value);
    };
    const text = (w: Words, kw: Token): void => {
      const token = w.next(`the ${kw.text}`);
      w.end();
      draft.settings.set(kw.text, token.text);
    };
    const ttl = (w: Words, kw: Token): void => {
      const value = w.value('a TTL', (t) => {
        if (t === 'false' || t === 'disable' || t === 'disabled') return undefined;
        return integer(t, 0, 255, 'TTL');
      });
      w.end();
      draft.settings.set(kw.text, value);
    };
    const asnOrAuto = (t: string): number | 'auto' => (t === 'auto' ? 'auto' : asn(t));
    const leaves: Record<string, LeafHandler> = {
      description: text,
      'router-id': set('a router-id (an IPv4 address)', (t) => ipv4Address(t, 'router-id')),
      'local-address': set('an IP address or auto', (t) => (t === 'auto' ? 'auto' : ipAddress(t).text)),
      'local-link-local': set('an IPv6 link-local address', (t) => {
        const v6 = parseIPv6(t);
        if (v6 === undefined || (v6[0]! & 0xffc0) !== 0xfe80) {
          throw new InvalidValue(`'${t}' is not an IPv6 link-local address`, 'an address in fe80::/10');
        }
        return formatIPv6(v6);
      }),
      'local-as': set('an AS number or auto', asnOrAuto),
      'peer-as': set('an AS number or auto', asnOrAuto),
      'hold-time': set('a hold time', (t) => {
        const value = digits(t);
        if (value < 0 || (value > 0 && value < 3) || value > 65535) {
          throw new InvalidValue(
            `'${t}' is not a valid hold-time`,
            '0 (disabled) or 3 to 65535 seconds (RFC 4271 §4.2)',
          );
        }
        return value;
      }),
      'rate-limit': set('a number of messages per second', (t) =>
        t === 'disable' || t === 'disabled' ? 0 : integer(t, 0, 0xffffffff, 'rate-limit'),
      ),
      passive: bool,
      listen: set('a port', (t) => integer(t, 1, 65535, 'port')),
      connect: set('a port', (t) => integer(t, 1, 65535, 'port')),
      'source-interface': text,
      'outgoing-ttl': ttl,
      'incoming-ttl': ttl,
      'md5-password': text,
      'md5-base64': bool,
      'md5-ip': set('an IP address', (t) => ipAddress(t).text),
      'host-name': text,
      'domain-name': text,
      'group-updates': bool,
      'auto-flush': bool,
      'adj-rib-out': bool,
      'adj-rib-in': bool,
      'manual-eor': bool,
      inherit: (w) => {
        const first = w.next('a template name');
        if (!first.quoted && first.text === '[') {
          for (;;) {
            const token = w.next("']'");
            if (!token.quoted && token.text === ']') break;
            if (!token.quoted && token.text === ',') continue;
            draft.inherit.push(token);
          }
        } else draft.inherit.push(first);
        w.end();
      },
    };
    const blocks: Record<string, BlockHandler> = {
      family: (w, kw) => {
        w.end();
        this.familyBlock(draft, kw, `${where} / family`);
      },
      'add-path': (w, kw) => {
        w.end();
        this.addPathBlock(draft, kw, `${where} / add-path`);
      },
      nexthop: (w, kw) => {
        w.end();
        this.nexthopBlock(draft, kw, `${where} / nexthop`);
      },
      capability: (w, kw) => {
        w.end();
        this.capabilityBlock(draft, kw, `${where} / capability`);
      },
      'tcp-ao': (w, kw) => {
        w.end();
        this.tcpAoBlock(draft, kw, `${where} / tcp-ao`);
      },
      api: (w, kw) => {
        const nameToken = w.more() ? w.next('an api name') : undefined;
        w.end();
        this.apiBlock(draft, kw, nameToken, `${where} / api`);
      },
      static: (w, kw) => {
        w.end();
        this.staticBlock(draft, kw, `${where} / static`);
      },
      announce: (w, kw) => {
        w.end();
        this.announceBlock(draft, kw, `${where} / announce`);
      },
      flow: (w, kw) => {
        w.end();
        this.flowBlock(draft, kw, `${where} / flow`);
      },
      l2vpn: (w, kw) => {
        w.end();
        this.l2vpnBlock(draft, kw, `${where} / l2vpn`);
      },
      operational: (w, kw) => {
        w.end();
        this.operationalBlock(draft, kw, `${where} / operational`);
      },
    };
    return { name: where, leaves, blocks };
  }

  // --- family / add-path / nexthop -----------------------------------------------------------------------

  private familyLeaves(onFamily: (f: Family, w: Words, kw: Token, safi: Token) => void): Record<string, LeafHandler> {
    const leaves: Record<string, LeafHandler> = {};
    for (const afi of Object.keys(FAMILY_SAFIS) as AfiName[]) {
      leaves[afi] = (w, kw) => {
        const safi = w.next(`a SAFI (${FAMILY_SAFIS[afi].join(', ')})`);
        if (safi.quoted || !FAMILY_SAFIS[afi].includes(safi.text)) {
          const guess = suggest(safi.text, FAMILY_SAFIS[afi]);
          throw new ConfigError(this.file, this.lexer.source, safi, `unknown SAFI '${safi.text}' for ${afi}`, {
            expected: `one of: ${FAMILY_SAFIS[afi].join(', ')}`,
            ...(guess === undefined ? {} : { hint: `did you mean '${guess}'?` }),
          });
        }
        onFamily(family(afi, safi.text as SafiName), w, kw, safi);
      };
    }
    return leaves;
  }

  private allFamilies(): Family[] {
    return familyRows()
      .filter((row) => row.exabgp.configurable)
      .map((row) => family(row.afiName as AfiName, row.safiName as SafiName));
  }

  private familyBlock(draft: Draft, opener: Token, where: string): void {
    draft.familyBlock = true;
    let all = false;
    const seen = new Set(draft.families.map((f) => f.key));
    const leaves = this.familyLeaves((f, w, _kw, safi) => {
      w.end();
      if (all) throw w.error(safi, 'cannot add a family once "all" is set', "'}'");
      if (seen.has(f.key)) throw w.error(safi, `family ${nameOf(f)} is listed twice`, 'each family once');
      seen.add(f.key);
      draft.families.push(f);
    });
    leaves.all = (w, kw) => {
      w.end();
      if (seen.size > 0)
        throw w.error(kw, '"all" cannot be used with any other family', 'either all or a list of families');
      all = true;
      for (const f of this.allFamilies()) {
        seen.add(f.key);
        draft.families.push(f);
      }
    };
    this.block({ name: where, leaves, blocks: {} }, opener);
  }

  private addPathBlock(draft: Draft, opener: Token, where: string): void {
    draft.addPathBlock = true;
    const seen = new Set<FamilyKey>();
    const leaves = this.familyLeaves((f, w, _kw, safi) => {
      let limit = 0;
      if (w.accept('limit')) limit = w.value('a paths limit', (t) => integer(t, 1, 65535, 'paths-limit'));
      w.end();
      if (seen.has(f.key)) throw w.error(safi, `duplicate add-path entry for ${nameOf(f)}`, 'each family once');
      seen.add(f.key);
      draft.addPath.push({ family: f, limit });
    });
    leaves.all = (w) => {
      w.end();
      for (const f of this.allFamilies()) {
        seen.add(f.key);
        draft.addPath.push({ family: f, limit: 0 });
      }
    };
    this.block({ name: where, leaves, blocks: {} }, opener);
  }

  private nexthopBlock(draft: Draft, opener: Token, where: string): void {
    const leaves = this.familyLeaves((f, w) => {
      const nh = w.value('the next-hop AFI (ipv4 or ipv6)', (t) => {
        if (t !== 'ipv4' && t !== 'ipv6') throw new InvalidValue(`'${t}' is not a valid next-hop AFI`, 'ipv4 or ipv6');
        return t;
      });
      w.end();
      draft.nexthop.push({ family: f, nextHopAfi: nh, nextHopAfiCode: nh === 'ipv4' ? 1 : 2 });
    });
    delete leaves.l2vpn;
    delete leaves['bgp-ls'];
    this.block({ name: where, leaves, blocks: {} }, opener);
  }

  // --- capability / tcp-ao ---------------------------------------------------------------------------------

  private capabilityBlock(draft: Draft, opener: Token, where: string): void {
    const bool = (w: Words, kw: Token): void => {
      const value = w.more() ? w.value('enable or disable', booleanValue) : CAPABILITY_BARE[kw.text];
      w.end();
      draft.capability.set(kw.text, value);
    };
    this.block(
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

  private tcpAoBlock(draft: Draft, opener: Token, where: string): void {
    const tcpAo: Partial<TcpAo> = draft.tcpAo ?? {};
    draft.tcpAo = tcpAo;
    const algorithms = ['hmac-sha-1-96', 'aes-128-cmac-96', 'hmac-sha-256'];
    this.block(
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
    const missing = ['keyid', 'algorithm', 'password'].filter(
      (k) => (tcpAo as Record<string, unknown>)[k] === undefined,
    );
    if (missing.length > 0) {
      throw this.lexer.error(
        opener,
        `incomplete tcp-ao, missing ${missing.join(', ')}`,
        `${missing.join(', ')} in tcp-ao`,
      );
    }
  }

  // --- api ------------------------------------------------------------------------------------------------

  private apiBlock(draft: Draft, opener: Token, nameToken: Token | undefined, where: string): void {
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
    this.apiCounter++;
    const api: Api = {
      name: nameToken?.text ?? `api-${this.apiCounter}`,
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
        this.block({ name: `${where} / ${name}`, leaves, blocks: {} }, kw);
      };
    };
    this.block(
      {
        name: where,
        leaves: {
          processes: (w) => {
            for (const token of this.nameList(w, 'process names')) {
              api.processes.push(token.text);
              this.processUses.push({ token, name: token.text });
            }
            w.end();
          },
          'processes-match': (w) => {
            for (const token of this.nameList(w, 'process name patterns')) {
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
      throw this.lexer.error(opener, 'processes and processes-match are mutually exclusive', 'one of them');
    }
    draft.api.push(api);
  }

  /** `[ a b c ]` or `a`; returns the name tokens */
  private nameList(w: Words, what: string): Token[] {
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

  // --- routes: the attribute keywords ------------------------------------------------------------------------

  /**
   * Parses the value of one route keyword into `r`. `kw` has been consumed from `w`.
   * `afi` is the route's address family when known (for `next-hop self`, IPv4-mapped next-hops).
   */
  private routeKeyword(w: Words, kw: Token, r: RouteDraft, allowed: Set<string>, where: string): void {
    const keyword = kw.text;
    if (kw.quoted || !allowed.has(keyword)) {
      throw this.unknown(kw, where, [...allowed], []);
    }
    if (PATH_ATTRIBUTE_KEYWORDS.has(keyword)) {
      // remember the attribute's text: routes written with the same attributes share one Attributes object
      this.cachedAttributeValue(w, kw, r);
      // The attribute's source text (keyword to last value token) extends the current run when only blanks
      // and ';' separate them: most routes then key on one slice of the source, with no string built.
      const end = w.tokens[w.i - 1]!.end;
      if (r.runEnd >= 0 && this.onlyBlanks(r.runEnd, kw.offset)) r.runEnd = end;
      else {
        if (r.runEnd >= 0) {
          if (r.attributeRuns === undefined) r.attributeRuns = [];
          r.attributeRuns.push(this.lexer.source.slice(r.runStart, r.runEnd));
        }
        r.runStart = kw.offset;
        r.runEnd = end;
      }
      return;
    }
    this.attributeValue(w, kw, r);
  }

  /**
   * An attribute value already parsed from the same text (keyword and value words) is reused instead of
   * parsed again: a million routes usually repeat a few attribute values.
   */
  private cachedAttributeValue(w: Words, kw: Token, r: RouteDraft): void {
    const field = ATTRIBUTE_FIELDS[kw.text];
    const tokens = w.tokens;
    const stop = valueExtent(tokens, w.i, kw.text);
    if (field === undefined || stop <= w.i) {
      this.attributeValue(w, kw, r);
      return;
    }
    const key = this.lexer.source.slice(kw.offset, tokens[stop - 1]!.end);
    const a = r.attributes as Record<string, unknown>;
    const known = this.attributeValues.get(key);
    if (known !== undefined) {
      w.i = stop;
      if (field === 'extendedCommunities' || field === 'generic') {
        const previous = a[field] as unknown[] | undefined;
        a[field] = previous === undefined ? known : [...previous, ...(known as unknown[])];
      } else a[field] = known;
      return;
    }
    // parse into an empty holder to learn this keyword's own value (extended communities and generic
    // attributes add to what earlier keywords of the route gave)
    const holder: RouteDraft = { attributes: {}, withdraw: false, runStart: -1, runEnd: -1 };
    this.attributeValue(w, kw, holder);
    const value = (holder.attributes as Record<string, unknown>)[field];
    if (w.i === stop && value !== undefined) this.attributeValues.set(key, value);
    if (field === 'extendedCommunities' || field === 'generic') {
      const previous = a[field] as unknown[] | undefined;
      a[field] = previous === undefined ? value : [...previous, ...(value as unknown[])];
    } else a[field] = value;
  }

  private attributeValue(w: Words, kw: Token, r: RouteDraft): void {
    const keyword = kw.text;
    const a = r.attributes;
    switch (keyword) {
      case 'next-hop':
        {
          // next-hops repeat across routes: keep one string per distinct next-hop
          const hop = w.value('an IP address or self', nextHopValue);
          const known = this.nextHops.get(hop);
          if (known !== undefined) r.nextHop = known;
          else {
            this.nextHops.set(hop, hop);
            r.nextHop = hop;
          }
        }
        return;
      case 'origin':
        a.origin = w.value('igp, egp or incomplete', originValue);
        return;
      case 'med':
        a.med = w.value('a MED', medValue);
        return;
      case 'local-preference':
        a.localPreference = w.value('a local preference', localPreferenceValue);
        return;
      case 'as-path':
        a.asPath = this.asPath(w);
        return;
      case 'atomic-aggregate':
        a.atomicAggregate = true;
        return;
      case 'aggregator':
        a.aggregator = this.aggregator(w);
        return;
      case 'originator-id':
        a.originatorId = w.value('an IPv4 address', (t) => ipv4Address(t, 'originator-id'));
        return;
      case 'cluster-list': {
        const list = w.list('a cluster id (IPv4 address)', (t) => {
          const v4 = parseIPv4(t);
          if (v4 >= 0) return t;
          const n = digits(t);
          if (n >= 0 && n <= 0xffffffff) return formatIPv4(n);
          throw new InvalidValue(`'${t}' is not a valid cluster id`, 'an IPv4 address or a 32-bit number');
        });
        if (list.length === 0) throw w.error(kw, 'cluster-list is empty', 'at least one cluster id');
        a.clusterList = list;
        return;
      }
      case 'community':
        a.communities = w.list('a community', community);
        return;
      case 'large-community': {
        const values = w.list('a large community', largeCommunity);
        // ExaBGP drops a large community listed twice (static/parser.py large_community)
        const seen = new Set<string>();
        a.largeCommunities = values.filter((v) => {
          const key = v.join(':');
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        return;
      }
      case 'extended-community': {
        const list = w.list('an extended community', extendedCommunityValue);
        a.extendedCommunities = a.extendedCommunities === undefined ? list : [...a.extendedCommunities, ...list];
        return;
      }
      case 'aigp':
        a.aigp = w.value('an AIGP metric', (t) => {
          const n = integerOrHex(t);
          if (n < 0 || !Number.isSafeInteger(n))
            throw new InvalidValue(`'${t}' is not a valid AIGP value`, 'a number (RFC 7311)');
          return n;
        });
        return;
      case 'attribute': {
        const open = w.expect('[');
        const code = w.value('the attribute code (0xNN)', (t) => {
          const hex = hexData(t.length % 2 === 1 ? `0x0${t.slice(2)}` : t, 'attribute code');
          const n = Number.parseInt(hex, 16);
          if (n > 255) throw new InvalidValue(`attribute code ${t} is too large`, '0x00 to 0xFF');
          return n;
        });
        const flags = w.value('the attribute flags (0xNN)', (t) => {
          const hex = hexData(t.length % 2 === 1 ? `0x0${t.slice(2)}` : t, 'attribute flags');
          const n = Number.parseInt(hex, 16);
          if (n > 255) throw new InvalidValue(`attribute flags ${t} is too large`, '0x00 to 0xFF');
          return n;
        });
        const hex = w.value('the attribute value (0x...)', (t) => hexData(t, 'attribute data'));
        const close = w.next(`']' closing the attribute opened at ${open.line}:${open.column}`);
        if (close.quoted || close.text !== ']') throw w.error(close, `unexpected '${close.text}'`, "']'");
        if (a.generic === undefined) a.generic = [];
        a.generic.push({ code, flags, hex });
        return;
      }
      case 'name':
        r.name = w.next('a name').text;
        return;
      case 'split':
        r.split = w.value('/LENGTH', (t) => {
          const n = t.startsWith('/') ? digits(t.slice(1)) : -1;
          if (n < 0 || n > 128)
            throw new InvalidValue(`'${t}' is not a valid split value`, '/<prefix-length> (e.g. /24)');
          return n;
        });
        return;
      case 'watchdog': {
        const token = w.next('a watchdog name');
        const lower = token.text.toLowerCase();
        if (lower === 'announce' || lower === 'withdraw') {
          throw w.error(token, `'${token.text}' is a reserved word and cannot be a watchdog name`, 'another name');
        }
        r.watchdog = token.text;
        return;
      }
      case 'withdraw':
        r.withdraw = true;
        return;
      case 'path-information':
        r.pathInformation = w.value('a path identifier (number or IPv4 address)', (t) => {
          const n = digits(t);
          if (n >= 0 && n <= 0xffffffff) return n;
          const v4 = parseIPv4(t);
          if (v4 >= 0) return v4;
          throw new InvalidValue(`'${t}' is not a valid path-information`, 'a 32-bit number or an IPv4 address');
        });
        return;
      case 'rd':
      case 'route-distinguisher':
        r.rd = w.value('a route distinguisher', routeDistinguisher);
        return;
      case 'label':
        r.labels = w.list('an MPLS label', label);
        return;
      case 'bgp-prefix-sid':
        a.bgpPrefixSid = this.prefixSid(w);
        return;
      case 'bgp-prefix-sid-srv6':
        a.bgpPrefixSidSrv6 = this.prefixSidSrv6(w);
        return;
      default:
        throw new Error(`route keyword '${keyword}' has no parser`);
    }
  }

  /**
   * `as-path N`, `as-path [ N N ]` (AS_SEQUENCE), `as-path ( N N )` (AS_SET), several groups in a row, and a set
   * inside a sequence: `[ 1 2 ( 3 4 ) ]` is the sequence 1 2 followed by the set {3 4} (RFC 4271 §4.3).
   */
  private asPath(w: Words): AsPathSegment[] {
    const first = w.next('an AS path');
    if (first.quoted || (first.text !== '[' && first.text !== '(')) {
      return [{ type: 'sequence', asns: [w.convert(first, asn)] }];
    }
    const segments: AsPathSegment[] = [];
    let open: Token | undefined = first;
    while (open !== undefined) {
      if (open.text === '(') segments.push(this.asSet(w, open));
      else {
        let sequence: AsPathSegment = { type: 'sequence', asns: [] };
        for (;;) {
          const token = w.next(`']' closing the AS path opened at ${open.line}:${open.column}`);
          if (!token.quoted && token.text === ',') continue;
          if (!token.quoted && token.text === ']') break;
          if (!token.quoted && token.text === '(') {
            if (sequence.asns.length > 0) segments.push(sequence);
            segments.push(this.asSet(w, token));
            sequence = { type: 'sequence', asns: [] };
            continue;
          }
          sequence.asns.push(w.convert(token, asn));
        }
        if (sequence.asns.length > 0) segments.push(sequence);
      }
      const next = w.peekWord();
      open = next === '[' || next === '(' ? w.next('') : undefined;
    }
    return segments;
  }

  private asSet(w: Words, open: Token): AsPathSegment {
    const set: AsPathSegment = { type: 'set', asns: [] };
    for (;;) {
      const token = w.next(`')' closing the AS set opened at ${open.line}:${open.column}`);
      if (!token.quoted && token.text === ',') continue;
      if (!token.quoted && token.text === ')') break;
      set.asns.push(w.convert(token, asn));
    }
    return set;
  }

  /** `aggregator ( ASN:IPV4 )` or `aggregator ASN:IPV4` */
  private aggregator(w: Words): { asn: number; address: string } {
    let token = w.next('ASN:IPV4');
    const eat = !token.quoted && token.text === '(';
    if (eat) token = w.next('ASN:IPV4');
    const value = w.convert(token, (t) => {
      const parts = t.split(':');
      if (parts.length !== 2) {
        throw new InvalidValue(`'${t}' is not a valid aggregator`, '(ASN:ROUTER-ID), e.g. ( 65001:192.0.2.1 )');
      }
      return { asn: asn(parts[0]!), address: ipv4Address(parts[1]!, 'aggregator address') };
    });
    if (eat) w.expect(')');
    return value;
  }

  /** `bgp-prefix-sid [ INDEX ]` or `[ INDEX, [ ( BASE,RANGE ) ... ] ]` (RFC 8669) */
  private prefixSid(w: Words): { labelIndex: number; srgbs: [number, number][] } {
    const open = w.expect('[');
    const labelIndex = w.value('the label index', (t) => integer(t, 0, 0xffffffff, 'label index'));
    const srgbs: [number, number][] = [];
    let inner = false;
    for (;;) {
      const token = w.next(`']' closing the prefix-sid opened at ${open.line}:${open.column}`);
      if (token.quoted) throw w.error(token, `unexpected '${token.text}'`, "'(BASE,RANGE)' or ']'");
      if (token.text === ',') continue;
      if (token.text === '[' && !inner) {
        inner = true;
        continue;
      }
      if (token.text === '(') {
        const base = w.value('the SRGB base', (t) => integer(t, 0, 0xffffff, 'SRGB base'));
        w.accept(',');
        const range = w.value('the SRGB range', (t) => integer(t, 0, 0xffffff, 'SRGB range'));
        w.expect(')');
        srgbs.push([base, range]);
        continue;
      }
      if (token.text === ']') {
        if (inner) {
          inner = false;
          continue;
        }
        return { labelIndex, srgbs };
      }
      throw w.error(token, `unexpected '${token.text}'`, "'( BASE,RANGE )' or ']'");
    }
  }

  /** `bgp-prefix-sid-srv6 ( l3-service|l2-service SID [BEHAVIOR [ [LB,LN,FUN,ARG,TL,TO] ]] )` (RFC 9252) */
  private prefixSidSrv6(w: Words): Attributes['bgpPrefixSidSrv6'] {
    w.expect('(');
    const service = w.value('l3-service or l2-service', (t) => {
      if (t !== 'l3-service' && t !== 'l2-service')
        throw new InvalidValue(`'${t}' is not a service`, 'l3-service or l2-service');
      return t;
    });
    const sid = w.value('an IPv6 SID', (t) => ipv6Address(t, 'SRv6 SID'));
    const result: NonNullable<Attributes['bgpPrefixSidSrv6']> = { service, sid };
    if (w.peekWord() !== ')') {
      result.behavior = w.value('an endpoint behavior', (t) => {
        const n = integerOrHex(t);
        if (n < 0 || n > 0xffff) throw new InvalidValue(`'${t}' is not a valid endpoint behavior`, 'a 16-bit number');
        return n;
      });
      if (w.peekWord() === '[') {
        w.next('[');
        const values: number[] = [];
        for (let i = 0; i < 6; i++) {
          if (i > 0) w.expect(',');
          values.push(w.value('a SID structure length', (t) => integer(t, 0, 255, 'SID structure length')));
        }
        w.expect(']');
        result.structure = values as [number, number, number, number, number, number];
      }
    }
    w.expect(')');
    return result;
  }

  private newRoute(): RouteDraft {
    return { attributes: {}, withdraw: false, runStart: -1, runEnd: -1 };
  }

  /** true when source[from, to) holds only blanks, newlines and ';' (no token, comment or continuation) */
  private onlyBlanks(from: number, to: number): boolean {
    const src = this.lexer.source;
    for (let i = from; i < to; i++) {
      const c = src.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x3b) return false;
    }
    return true;
  }

  /**
   * A prefix route: the family follows ExaBGP's static rules (an RD makes it mpls-vpn, a label nlri-mpls,
   * otherwise unicast, or multicast for a multicast address) unless `fixed` names it. `split` is expanded.
   */
  private prefixRoutes(draft: Draft, pfx: Prefix, r: RouteDraft, at: Token, fixed: SafiName | undefined): void {
    let safi: SafiName;
    if (fixed !== undefined) safi = fixed;
    else if (r.rd !== undefined) safi = 'mpls-vpn';
    else if (r.labels !== undefined) safi = 'nlri-mpls';
    else safi = pfx.multicast ? 'multicast' : 'unicast';
    const f = family(pfx.afi, safi);
    if (r.runEnd >= 0) {
      const last = this.lexer.source.slice(r.runStart, r.runEnd);
      // runs are separated by NUL, which the key texts cannot hold (a raw NUL is no configuration text)
      const key = r.attributeRuns === undefined ? last : `${r.attributeRuns.join('\u0000')}\u0000${last}`;
      const shared = this.attributeSets.get(key);
      if (shared !== undefined) r.attributes = shared;
      else this.attributeSets.set(key, r.attributes);
    } else r.attributes = EMPTY_ATTRIBUTES;
    const location = this.location(at);
    if (r.split === undefined || r.split <= pfx.length) {
      draft.routes.push(this.prefixRoute(f, r, location, pfx.prefix, pfx.address, pfx.length));
      return;
    }
    const base = (p: string, address: string, length: number): Route =>
      this.prefixRoute(f, r, location, p, address, length);
    const bits = pfx.afi === 'ipv4' ? 32 : 128;
    if (r.split > bits)
      throw this.lexer.error(at, `split /${r.split} is longer than an ${pfx.afi} address`, `at most /${bits}`);
    if (r.split - pfx.length > 24) {
      throw this.lexer.error(
        at,
        `split /${r.split} of a /${pfx.length} makes more than 2^24 routes`,
        'a smaller split',
      );
    }
    const count = 2 ** (r.split - pfx.length);
    if (pfx.afi === 'ipv4') {
      const start = parseIPv4(pfx.address);
      const step = 2 ** (32 - r.split);
      for (let i = 0; i < count; i++) {
        const address = formatIPv4(start + i * step);
        draft.routes.push(base(`${address}/${r.split}`, address, r.split));
      }
      return;
    }
    const groups = parseIPv6(pfx.address)!;
    let value = 0n;
    for (const g of groups) value = (value << 16n) | BigInt(g);
    const step = 1n << BigInt(128 - r.split);
    for (let i = 0; i < count; i++) {
      const v = value + BigInt(i) * step;
      const out: number[] = [];
      for (let k = 7; k >= 0; k--) out.push(Number((v >> BigInt(k * 16)) & 0xffffn));
      const address = formatIPv6(out);
      draft.routes.push(base(`${address}/${r.split}`, address, r.split));
    }
  }

  private prefixRoute(
    f: Family,
    r: RouteDraft,
    location: SourceLocation,
    p: string,
    address: string,
    length: number,
  ): Route {
    const nlri: Nlri = { kind: 'prefix', prefix: p, address, length };
    if (r.pathInformation !== undefined) nlri.pathInformation = r.pathInformation;
    if (r.labels !== undefined) nlri.labels = r.labels;
    if (r.rd !== undefined) nlri.rd = r.rd;
    const route: Route = { family: f, nlri, attributes: r.attributes, withdraw: r.withdraw, location };
    if (r.nextHop !== undefined) route.nextHop = r.nextHop;
    if (r.split !== undefined) route.split = r.split;
    if (r.watchdog !== undefined) route.watchdog = r.watchdog;
    if (r.name !== undefined) route.name = r.name;
    return route;
  }

  // --- static ---------------------------------------------------------------------------------------------

  private staticBlock(draft: Draft, opener: Token, where: string): void {
    const routeWhere = `${where} / route`;
    const attributes: LeafHandler = (w, kw) => this.attributesNlri(draft, w, kw, `${where} / attributes`);
    this.block(
      {
        name: where,
        leaves: {
          route: (w, kw) => {
            const prefixToken = w.next('a prefix');
            const pfx = w.convert(prefixToken, anyPrefix);
            const r = this.newRoute();
            while (w.more()) {
              const key = w.next('a route keyword');
              this.routeKeyword(w, key, r, STATIC_ROUTE_KEYWORDS, routeWhere);
            }
            this.prefixRoutes(draft, pfx, r, kw, undefined);
          },
          attributes,
          attribute: attributes,
          'sr-policy': (w, kw) => this.srPolicy(draft, w, kw, undefined, `${where} / sr-policy`),
        },
        blocks: {
          route: (w, kw) => {
            const prefixToken = w.next('a prefix');
            const pfx = w.convert(prefixToken, anyPrefix);
            w.end();
            const r = this.newRoute();
            this.routeBody(r, kw, STATIC_ROUTE_KEYWORDS, `${where} / route ${pfx.prefix}`);
            this.prefixRoutes(draft, pfx, r, kw, undefined);
          },
        },
      },
      opener,
    );
  }

  /** `route X { keyword value; ... }`: each statement is one route keyword */
  private routeBody(r: RouteDraft, opener: Token, allowed: Set<string>, where: string): void {
    this.block(
      {
        name: where,
        leaves: keywordTable(allowed),
        blocks: {},
        statement: (w, kw) => {
          this.routeKeyword(w, kw, r, allowed, where);
          w.end();
        },
      },
      opener,
    );
  }

  /** `attributes KEYWORD VALUE ... nlri PREFIX PREFIX ...;` shared attributes for several prefixes */
  private attributesNlri(draft: Draft, w: Words, kw: Token, where: string): void {
    const r = this.newRoute();
    const allowed = new Set(STATIC_ROUTE_KEYWORDS);
    allowed.add('nlri');
    let sawNlri = false;
    while (w.more()) {
      const key = w.next('an attribute keyword or nlri');
      if (!key.quoted && key.text === 'nlri') {
        sawNlri = true;
        break;
      }
      this.routeKeyword(w, key, r, STATIC_ROUTE_KEYWORDS, where);
    }
    if (!sawNlri) throw w.error(kw, "'attributes' without 'nlri'", "'nlri PREFIX ...' after the attributes");
    if (!w.more()) w.next('a prefix after nlri');
    while (w.more()) {
      const token = w.next('a prefix');
      const pfx = w.convert(token, anyPrefix);
      this.prefixRoutes(draft, pfx, r, token, undefined);
    }
  }

  // --- announce -----------------------------------------------------------------------------------------

  private announceBlock(draft: Draft, opener: Token, where: string): void {
    const ipBlock =
      (afi: 'ipv4' | 'ipv6'): BlockHandler =>
      (w, kw) => {
        w.end();
        const here = `${where} / ${afi}`;
        const prefixRoute =
          (safi: SafiName, allowed: Set<string>): LeafHandler =>
          (v, key) => {
            const token = v.next(`an ${afi} prefix`);
            const pfx = v.convert(token, (t) => prefix(t, afi));
            const r = this.newRoute();
            while (v.more()) this.routeKeyword(v, v.next('a route keyword'), r, allowed, `${here} / ${safi}`);
            if (safi === 'mpls-vpn' && r.rd === undefined)
              throw v.error(key, 'an mpls-vpn route needs an rd', "'rd ADMIN:N'");
            this.prefixRoutes(draft, pfx, r, key, safi);
          };
        const leaves: Record<string, LeafHandler> = {
          unicast: prefixRoute('unicast', ANNOUNCE_KEYWORDS.unicast!),
          'nlri-mpls': prefixRoute('nlri-mpls', ANNOUNCE_KEYWORDS['nlri-mpls']!),
          'labeled-unicast': prefixRoute('nlri-mpls', ANNOUNCE_KEYWORDS['nlri-mpls']!),
          'mpls-vpn': prefixRoute('mpls-vpn', ANNOUNCE_KEYWORDS['mpls-vpn']!),
          flow: (v, key) => this.flowInline(draft, v, key, afi, 'flow', `${here} / flow`),
          'flow-vpn': (v, key) => this.flowInline(draft, v, key, afi, 'flow-vpn', `${here} / flow-vpn`),
          'mcast-vpn': (v, key) => this.mvpn(draft, v, key, afi, `${here} / mcast-vpn`),
          mup: (v, key) => this.mup(draft, v, key, afi, `${here} / mup`),
          'sr-policy': (v, key) => this.srPolicy(draft, v, key, afi, `${here} / sr-policy`),
        };
        leaves.multicast = prefixRoute('multicast', ANNOUNCE_KEYWORDS.multicast!);
        this.block({ name: here, leaves, blocks: {} }, kw);
      };
    this.block(
      {
        name: where,
        leaves: {},
        blocks: {
          ipv4: ipBlock('ipv4'),
          ipv6: ipBlock('ipv6'),
          l2vpn: (w, kw) => {
            w.end();
            this.block(
              {
                name: `${where} / l2vpn`,
                leaves: { vpls: (v, key) => this.vplsInline(draft, v, key, `${where} / l2vpn / vpls`) },
                blocks: {},
              },
              kw,
            );
          },
        },
      },
      opener,
    );
  }

  // --- l2vpn / vpls ----------------------------------------------------------------------------------------

  private l2vpnBlock(draft: Draft, opener: Token, where: string): void {
    this.block(
      {
        name: where,
        leaves: { vpls: (w, kw) => this.vplsInline(draft, w, kw, `${where} / vpls`) },
        blocks: {
          vpls: (w, kw) => {
            const nameToken = w.more() ? w.next('a name') : undefined;
            w.end();
            const r = this.newRoute();
            const fields: Record<string, number> = {};
            const leaves: Record<string, LeafHandler> = {};
            for (const keyword of VPLS_KEYWORDS) {
              leaves[keyword] = (v, key) => {
                this.vplsKeyword(v, key, r, fields, `${where} / vpls`);
                v.end();
              };
            }
            this.block({ name: `${where} / vpls${nameToken ? ` ${nameToken.text}` : ''}`, leaves, blocks: {} }, kw);
            if (nameToken !== undefined && r.name === undefined) r.name = nameToken.text;
            this.vplsRoute(draft, r, fields, kw);
          },
        },
      },
      opener,
    );
  }

  private vplsKeyword(w: Words, key: Token, r: RouteDraft, fields: Record<string, number>, where: string): void {
    if (
      !key.quoted &&
      (key.text === 'endpoint' || key.text === 'base' || key.text === 'offset' || key.text === 'size')
    ) {
      fields[key.text] = w.value(`the ${key.text}`, (t) => integer(t, 0, 0xffff, key.text));
      return;
    }
    this.routeKeyword(w, key, r, VPLS_KEYWORDS, where);
  }

  private vplsInline(draft: Draft, w: Words, kw: Token, where: string): void {
    const r = this.newRoute();
    const fields: Record<string, number> = {};
    const first = w.peek();
    if (first !== undefined && (first.quoted || !VPLS_KEYWORDS.has(first.text))) r.name = w.next('a name').text;
    while (w.more()) this.vplsKeyword(w, w.next('a vpls keyword'), r, fields, where);
    this.vplsRoute(draft, r, fields, kw);
  }

  private vplsRoute(draft: Draft, r: RouteDraft, fields: Record<string, number>, at: Token): void {
    const missing = ['endpoint', 'base', 'offset', 'size'].filter((k) => fields[k] === undefined);
    if (r.rd === undefined) missing.unshift('rd');
    if (missing.length > 0)
      throw this.lexer.error(at, `incomplete vpls route, missing ${missing.join(', ')}`, missing.join(', '));
    const route: Route = {
      family: family('l2vpn', 'vpls'),
      nlri: {
        kind: 'vpls',
        rd: r.rd!,
        endpoint: fields.endpoint!,
        base: fields.base!,
        offset: fields.offset!,
        size: fields.size!,
      },
      attributes: r.attributes,
      withdraw: r.withdraw,
      location: this.location(at),
    };
    this.finishRoute(route, r);
    draft.routes.push(route);
  }

  private finishRoute(route: Route, r: RouteDraft): void {
    if (r.nextHop !== undefined) route.nextHop = r.nextHop;
    if (r.split !== undefined) route.split = r.split;
    if (r.watchdog !== undefined) route.watchdog = r.watchdog;
    if (r.name !== undefined) route.name = r.name;
  }

  // --- flow -----------------------------------------------------------------------------------------------

  private flowBlock(draft: Draft, opener: Token, where: string): void {
    this.block(
      {
        name: where,
        leaves: {},
        blocks: {
          route: (w, kw) => {
            const nameToken = w.more() ? w.next('a name') : undefined;
            w.end();
            const state = this.newFlow();
            if (nameToken !== undefined) state.r.name = nameToken.text;
            const here = `${where} / route${nameToken ? ` ${nameToken.text}` : ''}`;
            this.block(
              {
                name: here,
                leaves: {
                  rd: (v) => {
                    state.r.rd = v.value('a route distinguisher', routeDistinguisher);
                    v.end();
                  },
                  'route-distinguisher': (v) => {
                    state.r.rd = v.value('a route distinguisher', routeDistinguisher);
                    v.end();
                  },
                  'next-hop': (v) => {
                    state.r.nextHop = v.value('an IP address or self', (t) =>
                      t.toLowerCase() === 'self' ? 'self' : ipAddress(t).text,
                    );
                    v.end();
                  },
                },
                blocks: {
                  match: (v, key) => {
                    v.end();
                    const leaves: Record<string, LeafHandler> = {};
                    for (const keyword of Object.keys(FLOW_MATCH_TYPES)) {
                      leaves[keyword] = (x, k) => {
                        this.flowMatch(x, k, state);
                        x.end();
                      };
                    }
                    this.block({ name: `${here} / match`, leaves, blocks: {} }, key);
                  },
                  // biome-ignore lint/suspicious/noThenProperty: `then` is ExaBGP's keyword for the flow actions block
                  then: (v, key) => {
                    v.end();
                    const leaves: Record<string, LeafHandler> = {};
                    for (const keyword of FLOW_THEN_KEYWORDS) {
                      leaves[keyword] = (x, k) => {
                        this.flowThen(x, k, state);
                        x.end();
                      };
                    }
                    this.block({ name: `${here} / then`, leaves, blocks: {} }, key);
                  },
                  scope: (v, key) => {
                    v.end();
                    this.block(
                      {
                        name: `${here} / scope`,
                        leaves: {
                          'interface-set': (x) => {
                            for (const c of x.list('an interface set', interfaceSet)) state.communities.push(c);
                            x.end();
                          },
                        },
                        blocks: {},
                      },
                      key,
                    );
                  },
                },
              },
              kw,
            );
            this.flowRoute(draft, state, kw, undefined, undefined);
          },
        },
      },
      opener,
    );
  }

  private newFlow(): FlowState {
    return { r: this.newRoute(), components: [], communities: [], afi: undefined, afiToken: undefined };
  }

  private flowMatch(w: Words, kw: Token, state: FlowState): void {
    const type = FLOW_MATCH_TYPES[kw.text]!;
    const afiOf = IPV4_ONLY.has(kw.text) ? 'ipv4' : IPV6_ONLY.has(kw.text) ? 'ipv6' : undefined;
    if (afiOf !== undefined) this.flowAfi(w, kw, state, afiOf);
    if (type === 1 || type === 2) {
      const token = w.next('a prefix');
      const component = w.convert(token, (t) => flowPrefix(kw.text, type, t));
      this.flowAfi(w, token, state, 'offset' in component ? 'ipv6' : 'ipv4');
      state.components.push(component);
      return;
    }
    const component: FlowNumericComponent = numericComponent(type, kw.text);
    const first = w.next('an operator and value (e.g. =80, >1024&<2048)');
    if (!first.quoted && first.text === '[') {
      for (;;) {
        const token = w.next("']'");
        if (!token.quoted && token.text === ']') break;
        if (!token.quoted && token.text === ',') continue;
        w.convert(token, (t) => flowTerms(type, t, component.terms, kw.text));
      }
    } else {
      w.convert(first, (t) => flowTerms(type, t, component.terms, kw.text));
      // ExaBGP reads the remaining words of the statement as further terms (`port =80 =8080;`)
      while (w.more()) {
        const token = w.next('a value');
        w.convert(token, (t) => flowTerms(type, t, component.terms, kw.text));
      }
    }
    if (component.terms.length === 0) throw w.error(first, `'${kw.text}' has no value`, 'an operator and value');
    state.components.push(component);
  }

  private flowAfi(w: Words, token: Token, state: FlowState, afi: 'ipv4' | 'ipv6'): void {
    if (state.afi !== undefined && state.afi !== afi) {
      const previous = state.afiToken!;
      throw w.error(
        token,
        `'${token.text}' makes this an ${afi} flow, but ${previous.line}:${previous.column} made it ${state.afi}`,
        `${state.afi} components only`,
      );
    }
    state.afi = afi;
    state.afiToken ??= token;
  }

  private flowThen(w: Words, kw: Token, state: FlowState): void {
    const c = state.communities;
    switch (kw.text) {
      case 'accept':
        return;
      case 'discard':
        c.push(discardCommunity());
        return;
      case 'rate-limit': {
        const rate = w.value('a rate', (t) => integer(t, 0, 0xffffffffffff, 'rate'));
        let unit: 'bytes' | 'packets' = 'bytes';
        if (w.accept('packets')) unit = 'packets';
        else w.accept('bytes');
        c.push(rateLimitCommunity(rate, unit));
        return;
      }
      case 'redirect': {
        const token = w.next('ASN:N, an IP address, or [IPV6]:N');
        let text = token.text;
        // `[2001:db8::1]:100`: the lexer splits the brackets off
        if (!token.quoted && text === '[') {
          const address = w.next('an IPv6 address').text;
          w.expect(']');
          const suffix = w.peek();
          text = `[${address}]${suffix?.text.startsWith(':') ? w.next('').text : ''}`;
        }
        const result = w.convert({ ...token, text }, redirect);
        if (result.nextHop !== undefined) state.r.nextHop = result.nextHop;
        c.push(result.community);
        return;
      }
      case 'redirect-to-nexthop':
        c.push(nextHopCommunity(false));
        return;
      case 'redirect-to-nexthop-ietf':
        c.push(w.value('an IP address', redirectIetf));
        return;
      case 'copy':
        state.r.nextHop = w.value('an IP address', (t) => ipAddress(t).text);
        c.push(nextHopCommunity(true));
        return;
      case 'mark':
        c.push(markCommunity(w.value('a DSCP value', (t) => integer(t, 0, 63, 'DSCP mark'))));
        return;
      case 'action':
        c.push(w.value('sample, terminal or sample-terminal', actionCommunity));
        return;
      case 'interface-set':
        for (const x of w.list('an interface set', interfaceSet)) c.push(x);
        return;
      case 'community':
      case 'large-community':
      case 'extended-community':
      case 'attribute':
        this.routeKeyword(w, kw, state.r, FLOW_ATTRIBUTE_KEYWORDS, 'flow then');
        return;
      default:
        throw this.unknown(kw, 'flow then', FLOW_THEN_KEYWORDS, []);
    }
  }

  private flowRoute(
    draft: Draft,
    state: FlowState,
    at: Token,
    afi: 'ipv4' | 'ipv6' | undefined,
    safi: SafiName | undefined,
  ): void {
    const r = state.r;
    if (afi !== undefined && state.afi !== undefined && state.afi !== afi) {
      throw this.lexer.error(at, `an ${state.afi} flow in the ${afi} block`, `${afi} components`);
    }
    const f = family(afi ?? state.afi ?? 'ipv4', safi ?? (r.rd !== undefined ? 'flow-vpn' : 'flow'));
    // RFC 8955 §4.2: components are ordered by type
    const components: FlowComponent[] = state.components.slice().sort((x, y) => x.type - y.type);
    const nlri: Nlri = { kind: 'flow', components };
    if (r.rd !== undefined) nlri.rd = r.rd;
    const attributes = r.attributes;
    if (state.communities.length > 0) {
      attributes.extendedCommunities = [...state.communities, ...(attributes.extendedCommunities ?? [])];
    }
    const route: Route = { family: f, nlri, attributes, withdraw: r.withdraw, location: this.location(at) };
    this.finishRoute(route, r);
    draft.routes.push(route);
  }

  /** `announce { ipv4 { flow KEYWORD VALUE ... ; } }`: match components and actions on one line */
  private flowInline(draft: Draft, w: Words, kw: Token, afi: 'ipv4' | 'ipv6', safi: SafiName, where: string): void {
    const state = this.newFlow();
    while (w.more()) {
      const key = w.next('a flow keyword');
      if (!key.quoted && (key.text === 'rd' || key.text === 'route-distinguisher')) {
        state.r.rd = w.value('a route distinguisher', routeDistinguisher);
      } else if (!key.quoted && key.text === 'next-hop') {
        state.r.nextHop = w.value('an IP address', (t) => ipAddress(t).text);
      } else if (!key.quoted && Object.hasOwn(FLOW_MATCH_TYPES, key.text)) {
        this.flowMatchInline(w, key, state);
      } else if (!key.quoted && FLOW_THEN_KEYWORDS.includes(key.text)) {
        this.flowThen(w, key, state);
      } else {
        throw this.unknown(key, where, ['rd', 'next-hop', ...Object.keys(FLOW_MATCH_TYPES), ...FLOW_THEN_KEYWORDS], []);
      }
    }
    this.flowRoute(draft, state, kw, afi, safi);
  }

  /** in the one-line form a component takes one value or a `[ ]` list */
  private flowMatchInline(w: Words, kw: Token, state: FlowState): void {
    const type = FLOW_MATCH_TYPES[kw.text]!;
    if (type === 1 || type === 2) {
      this.flowMatch(w, kw, state);
      return;
    }
    const component: FlowNumericComponent = numericComponent(type, kw.text);
    for (const _ of w.list('an operator and value', (t) => flowTerms(type, t, component.terms, kw.text))) void _;
    state.components.push(component);
  }

  // --- mvpn / mup / sr-policy --------------------------------------------------------------------------------

  private mvpn(draft: Draft, w: Words, kw: Token, afi: 'ipv4' | 'ipv6', where: string): void {
    const typeToken = w.next('shared-join, source-join or source-ad');
    const routeType = typeToken.text;
    if (routeType !== 'shared-join' && routeType !== 'source-join' && routeType !== 'source-ad') {
      throw this.unknown(typeToken, where, ['shared-join', 'source-join', 'source-ad'], []);
    }
    const address = (t: string): string => {
      const ip = ipAddress(t);
      if (ip.afi !== afi) throw new InvalidValue(`'${t}' is not an ${afi} address`, `an ${afi} address`);
      return ip.text;
    };
    w.expect(routeType === 'shared-join' ? 'rp' : 'source');
    const source = w.value(`an ${afi} address`, address);
    w.expect('group');
    const group = w.value(`an ${afi} address`, address);
    w.expect('rd');
    const rd = w.value('a route distinguisher', routeDistinguisher);
    const nlri: MvpnNlri = { kind: 'mvpn', routeType, rd, source, group };
    if (routeType !== 'source-ad') {
      w.expect('source-as');
      nlri.sourceAs = w.value('an AS number', asn);
    }
    this.nlriRoute(draft, w, kw, family(afi, 'mcast-vpn'), nlri, where);
  }

  private mup(draft: Draft, w: Words, kw: Token, afi: 'ipv4' | 'ipv6', where: string): void {
    const typeToken = w.next('mup-isd, mup-dsd, mup-t1st or mup-t2st');
    const routeType = typeToken.text;
    if (routeType !== 'mup-isd' && routeType !== 'mup-dsd' && routeType !== 'mup-t1st' && routeType !== 'mup-t2st') {
      throw this.unknown(typeToken, where, ['mup-isd', 'mup-dsd', 'mup-t1st', 'mup-t2st'], []);
    }
    const addr = (t: string): string => {
      const ip = ipAddress(t);
      if (ip.afi !== afi) throw new InvalidValue(`'${t}' is not an ${afi} address`, `an ${afi} address`);
      return ip.text;
    };
    const nlri: Partial<MupNlri> & { kind: 'mup' } = { kind: 'mup', routeType };
    if (routeType === 'mup-isd' || routeType === 'mup-t1st')
      nlri.prefix = w.value(`an ${afi} prefix`, (t) => prefix(t, afi).prefix);
    else nlri.address = w.value(`an ${afi} address`, addr);
    w.expect('rd');
    nlri.rd = w.value('a route distinguisher', routeDistinguisher);
    if (routeType === 'mup-t1st') {
      w.expect('teid');
      nlri.teid = w.value('a TEID', (t) => integer(t, 0, 0xffffffff, 'TEID'));
      w.expect('qfi');
      nlri.qfi = w.value('a QFI', (t) => integer(t, 0, 63, 'QFI'));
      w.expect('endpoint');
      nlri.endpoint = w.value('an IP address', (t) => ipAddress(t).text);
      if (w.accept('source')) nlri.source = w.value('an IP address', (t) => ipAddress(t).text);
    } else if (routeType === 'mup-t2st') {
      w.expect('teid');
      const [teid, length] = w.value('TEID/LENGTH', (t) => {
        const [a, b] = t.split('/');
        const teidValue = digits(a ?? '');
        const bits = b === undefined ? 32 : digits(b);
        if (teidValue < 0 || teidValue > 0xffffffff || bits < 0 || bits > 32) {
          throw new InvalidValue(`'${t}' is not a valid TEID`, 'TEID/LENGTH with LENGTH 0 to 32');
        }
        return [teidValue, bits] as const;
      });
      nlri.teid = teid;
      nlri.teidLength = length;
    }
    this.nlriRoute(draft, w, kw, family(afi, 'mup'), nlri as MupNlri, where);
  }

  /** the attributes after an mvpn or mup NLRI */
  private nlriRoute(draft: Draft, w: Words, kw: Token, f: Family, nlri: Nlri, where: string): void {
    const r = this.newRoute();
    while (w.more()) this.routeKeyword(w, w.next('a route keyword'), r, NLRI_ROUTE_KEYWORDS, where);
    const route: Route = {
      family: f,
      nlri,
      attributes: r.attributes,
      withdraw: r.withdraw,
      location: this.location(kw),
    };
    this.finishRoute(route, r);
    draft.routes.push(route);
  }

  /** `sr-policy distinguisher N color N endpoint IP next-hop IP [policy keywords] [attributes]` (static/sr_policy.py) */
  private srPolicy(draft: Draft, w: Words, kw: Token, blockAfi: 'ipv4' | 'ipv6' | undefined, where: string): void {
    w.expect('distinguisher');
    const distinguisher = w.value('a distinguisher', (t) => integer(t, 0, 0xffffffff, 'distinguisher'));
    w.expect('color');
    const color = w.value('a color', (t) => integer(t, 0, 0xffffffff, 'color'));
    w.expect('endpoint');
    const endpointToken = w.next('an IP address');
    const endpoint = w.convert(endpointToken, ipAddress);
    const afi = blockAfi ?? endpoint.afi;
    const r = this.newRoute();
    w.expect('next-hop');
    r.nextHop = w.value('an IP address', (t) => ipAddress(t).text);
    const policy: SrPolicy = { segmentLists: [] };
    while (w.more()) {
      const key = w.peekWord();
      if (key === undefined || !SR_POLICY_KEYS.has(key)) break;
      w.next(key);
      switch (key) {
        case 'preference':
          policy.preference = w.value('a preference', (t) => integer(t, 0, 0xffffffff, 'preference'));
          break;
        case 'priority':
          policy.priority = w.value('a priority', (t) => integer(t, 0, 255, 'priority'));
          break;
        case 'enlp':
          policy.enlp = w.value('an ENLP value', (t) => integer(t, 0, 255, 'enlp'));
          break;
        case 'binding-sid': {
          const kind = w.value('mpls or null', (t) => {
            if (t !== 'mpls' && t !== 'null')
              throw new InvalidValue(`'${t}' is not a binding-sid type`, 'mpls or null');
            return t;
          });
          policy.bindingSid = kind === 'null' ? 'null' : w.value('an MPLS label', label);
          break;
        }
        case 'srv6-binding-sid':
          policy.srv6BindingSid = w.value('an IPv6 SID', (t) => ipv6Address(t, 'SRv6 binding SID'));
          break;
        case 'policy-name':
          policy.policyName = w.next('a name').text;
          break;
        case 'candidate-path-name':
          policy.candidatePathName = w.next('a name').text;
          break;
        case 'segment-list':
          policy.segmentLists.push(this.segmentList(w));
          break;
      }
    }
    while (w.more()) this.routeKeyword(w, w.next('a route keyword'), r, new Set(ATTRIBUTE_KEYWORDS), where);
    const route: Route = {
      family: family(afi, 'sr-policy'),
      nlri: { kind: 'sr-policy', distinguisher, color, endpoint: endpoint.text, policy },
      attributes: r.attributes,
      withdraw: r.withdraw,
      location: this.location(kw),
    };
    this.finishRoute(route, r);
    draft.routes.push(route);
  }

  private segmentList(w: Words): SrSegmentList {
    w.expect('weight');
    const list: SrSegmentList = {
      weight: w.value('a weight', (t) => integer(t, 0, 0xffffffff, 'weight')),
      segments: [],
    };
    const num = (max: number, what: string) => (t: string) => integer(t, 0, max, what);
    const ip4 = (t: string) => ipv4Address(t);
    const ip6 = (t: string) => ipv6Address(t);
    // each segment type: its fixed keywords in order, then optional ones (static/sr_policy.py)
    const layouts: Record<string, [string, (t: string) => string | number][]> = {
      'type-a': [['mpls', num(0xfffff, 'MPLS label')]],
      'type-b': [['srv6', ip6]],
      'type-c': [
        ['ipv4', ip4],
        ['algorithm', num(255, 'algorithm')],
      ],
      'type-d': [
        ['ipv6', ip6],
        ['algorithm', num(255, 'algorithm')],
      ],
      'type-e': [
        ['local-if-id', num(0xffffffff, 'interface id')],
        ['ipv4', ip4],
      ],
      'type-f': [
        ['local', ip4],
        ['remote', ip4],
      ],
      'type-g': [
        ['local-if-id', num(0xffffffff, 'interface id')],
        ['local-ipv6', ip6],
        ['remote-if-id', num(0xffffffff, 'interface id')],
        ['remote-ipv6', ip6],
      ],
      'type-h': [
        ['local', ip6],
        ['remote', ip6],
      ],
      'type-i': [
        ['ipv6', ip6],
        ['algorithm', num(255, 'algorithm')],
      ],
      'type-j': [
        ['local-if-id', num(0xffffffff, 'interface id')],
        ['local-ipv6', ip6],
        ['remote-if-id', num(0xffffffff, 'interface id')],
        ['remote-ipv6', ip6],
        ['algorithm', num(255, 'algorithm')],
      ],
      'type-k': [
        ['local', ip6],
        ['remote', ip6],
        ['algorithm', num(255, 'algorithm')],
      ],
    };
    while (w.accept('segment')) {
      const typeToken = w.next('a segment type (type-a to type-k)');
      const layout = layouts[typeToken.text];
      if (typeToken.quoted || layout === undefined) throw this.unknown(typeToken, 'segment', Object.keys(layouts), []);
      const fields: Record<string, string | number | number[]> = {};
      for (const [key, convert] of layout) {
        w.expect(key);
        fields[key] = w.value(key, convert);
      }
      const srv6 = ['type-b', 'type-i', 'type-j', 'type-k'].includes(typeToken.text);
      if (typeToken.text !== 'type-a' && typeToken.text !== 'type-b' && w.accept('sid')) {
        fields.sid = srv6 ? w.value('an IPv6 SID', ip6) : w.value('an MPLS SID', num(0xfffff, 'MPLS SID'));
      }
      if (srv6 && w.accept('endpoint-behavior')) {
        const behavior = w.value('an endpoint behavior', (t) => {
          const n = integerOrHex(t);
          if (n < 0 || n > 0xffff) throw new InvalidValue(`'${t}' is not a valid endpoint behavior`, 'a 16-bit number');
          return n;
        });
        const lengths: number[] = [];
        for (const what of ['locator block length', 'locator node length', 'function length', 'argument length']) {
          lengths.push(w.value(what, num(255, what)));
        }
        fields['endpoint-behavior'] = [behavior, ...lengths];
      }
      list.segments.push({ type: typeToken.text, fields });
    }
    return list;
  }

  // --- operational ------------------------------------------------------------------------------------------

  private operationalBlock(draft: Draft, opener: Token, where: string): void {
    const layouts: Record<string, string[]> = {
      asm: ['afi', 'safi', 'advisory'],
      adm: ['afi', 'safi', 'advisory'],
      rpcq: ['afi', 'safi', 'sequence'],
      rpcp: ['afi', 'safi', 'sequence', 'counter'],
      apcq: ['afi', 'safi', 'sequence'],
      apcp: ['afi', 'safi', 'sequence', 'counter'],
      lpcq: ['afi', 'safi', 'sequence'],
      lpcp: ['afi', 'safi', 'sequence', 'counter'],
    };
    const leaves: Record<string, LeafHandler> = {};
    for (const [kind, layout] of Object.entries(layouts)) {
      leaves[kind] = (w, kw) => {
        const fields: Record<string, string | number> = {};
        let afi: AfiName = 'ipv4';
        let safi = 'unicast';
        let advisory: string | undefined;
        for (const key of layout) {
          if (w.accept('router-id')) fields['router-id'] = w.value('an IPv4 address', (t) => ipv4Address(t));
          w.expect(key);
          if (key === 'afi') {
            afi = w.value('an AFI', (t) => {
              if (!Object.hasOwn(FAMILY_SAFIS, t))
                throw new InvalidValue(`'${t}' is not an AFI`, 'ipv4, ipv6, l2vpn or bgp-ls');
              return t as AfiName;
            });
          } else if (key === 'safi') {
            safi = w.value('a SAFI', (t) => {
              if (!FAMILY_SAFIS[afi].includes(t))
                throw new InvalidValue(`'${t}' is not a SAFI of ${afi}`, FAMILY_SAFIS[afi].join(', '));
              return t;
            });
          } else if (key === 'advisory') {
            advisory = w.value('an advisory text', (t) => {
              if (Buffer.byteLength(t, 'utf8') > 2048)
                throw new InvalidValue('the advisory is longer than 2048 bytes', 'a shorter text');
              return t;
            });
          } else {
            fields[key] = w.value(`a ${key}`, (t) =>
              integer(t, 0, key === 'sequence' ? 0xffffffff : Number.MAX_SAFE_INTEGER, key),
            );
          }
        }
        w.end();
        const message: OperationalMessage = {
          kind,
          family: family(afi, safi as SafiName),
          fields,
          location: this.location(kw),
        };
        if (advisory !== undefined) message.advisory = advisory;
        draft.operational.push(message);
      };
    }
    this.block({ name: where, leaves, blocks: {} }, opener);
  }

  // --- templates applied, defaults, checks -------------------------------------------------------------------

  private resolve(draft: Draft): Neighbor {
    // the neighbor's own settings win; among templates, a later `inherit` wins over an earlier one
    const chain: Draft[] = [];
    for (const token of draft.inherit) {
      const template = this.templates.get(token.text);
      if (template === undefined) {
        const guess = suggest(token.text, [...this.templates.keys()]);
        throw new ConfigError(this.file, this.lexer.source, token, `unknown template '${token.text}'`, {
          expected:
            this.templates.size > 0
              ? `one of: ${[...this.templates.keys()].join(', ')}`
              : 'a template defined in a template { } block',
          ...(guess === undefined ? {} : { hint: `did you mean '${guess}'?` }),
        });
      }
      chain.push(template);
    }
    const layers = [draft, ...chain.slice().reverse()];
    const setting = <T>(key: string): T | undefined => {
      for (const layer of layers) if (layer.settings.has(key)) return layer.settings.get(key) as T;
      return undefined;
    };
    const capability = <T>(key: string): T | undefined => {
      for (const layer of layers) if (layer.capability.has(key)) return layer.capability.get(key) as T;
      return undefined;
    };
    const has = (key: string): boolean => layers.some((l) => l.settings.has(key));

    // lists: the neighbor's own first, then each template's (ExaBGP's scope transfer extends lists)
    const families: Family[] = [];
    const seenFamilies = new Set<FamilyKey>();
    let familyBlock = false;
    for (const layer of [draft, ...chain]) {
      familyBlock ||= layer.familyBlock;
      for (const f of layer.families) {
        if (!seenFamilies.has(f.key)) {
          seenFamilies.add(f.key);
          families.push(f);
        }
      }
    }
    const routes: Route[] = [];
    const operational: OperationalMessage[] = [];
    const api: Api[] = [];
    let addPathList: AddPathFamily[] = [];
    let addPathBlock = false;
    const nexthopList: NextHopFamily[] = [];
    let tcpAoDraft: Partial<TcpAo> | undefined;
    for (const layer of [draft, ...chain]) {
      for (const route of layer.routes) routes.push(route);
      for (const message of layer.operational) operational.push(message);
      for (const a of layer.api) api.push(a);
      addPathBlock ||= layer.addPathBlock;
      addPathList = addPathList.concat(layer.addPath);
      for (const n of layer.nexthop) nexthopList.push(n);
      if (layer.tcpAo !== undefined) tcpAoDraft = { ...layer.tcpAo, ...(tcpAoDraft ?? {}) };
    }

    const where = draft.nameToken;
    const localAs = setting<number | 'auto'>('local-as');
    const peerAs = setting<number | 'auto'>('peer-as');
    const missing = [localAs === undefined ? 'local-as' : '', peerAs === undefined ? 'peer-as' : ''].filter(Boolean);
    if (missing.length > 0) {
      throw this.lexer.error(
        where,
        `incomplete neighbor ${draft.name}, missing ${missing.join(', ')}`,
        missing.join(' and '),
      );
    }
    const peerAddress = draft.name;
    const peerRange = peerAddress.includes('/');
    const localAddress = setting<string>('local-address') ?? 'auto';
    const peerAfi = peerAddress.includes(':') ? 'ipv6' : 'ipv4';
    if (localAddress !== 'auto' && (localAddress.includes(':') ? 'ipv6' : 'ipv4') !== peerAfi) {
      throw this.lexer.error(
        where,
        'local-address and peer-address must be of the same family',
        `an ${peerAfi} local-address`,
      );
    }
    const passive = setting<boolean>('passive') ?? false;
    if (peerRange && !passive) {
      throw this.lexer.error(
        where,
        'can only use ip ranges for the peer address with passive neighbors',
        "'passive true;'",
      );
    }
    let routerId = setting<string>('router-id');
    if (routerId === undefined && localAddress !== 'auto' && !localAddress.includes(':')) routerId = localAddress;
    // bgp/neighbor/session.py `missing`
    if (setting<number>('listen') !== undefined && localAddress === 'auto') {
      throw this.lexer.error(
        where,
        `incomplete neighbor ${draft.name}, missing local-address`,
        "'local-address IP;' (needed with listen)",
      );
    }
    if (routerId === undefined) {
      throw this.lexer.error(
        where,
        `incomplete neighbor ${draft.name}, missing router-id`,
        localAddress === 'auto'
          ? "'router-id IPV4;' (local-address is auto)"
          : "'router-id IPV4;' (local-address is IPv6)",
      );
    }

    const addPathMode = (capability<number>('add-path') ?? 0) as 0 | 1 | 2 | 3;
    const configured = families;
    let addPath: AddPathFamily[] = [];
    if (addPathMode !== 0) {
      if (!addPathBlock) addPath = configured.map((f) => ({ family: f, limit: 0 }));
      else addPath = addPathList.filter((a) => !familyBlock || seenFamilies.has(a.family.key));
    }

    let nexthopCapability = capability<boolean>('nexthop');
    if (nexthopCapability === undefined && nexthopList.length > 0) nexthopCapability = true;
    const nexthop =
      nexthopCapability === true
        ? nexthopList.filter(
            (n) =>
              !familyBlock ||
              (seenFamilies.has(n.family.key) && seenFamilies.has(familyKey(n.nextHopAfiCode, n.family.safiCode))),
          )
        : [];

    // bgp/neighbor/neighbor.py `infer`: a restart time of 0 means the hold time
    const gracefulRestart = capability<number | false>('graceful-restart') ?? false;
    const capabilities: Capabilities = {
      asn4: capability<boolean>('asn4') ?? true,
      routeRefresh: capability<boolean>('route-refresh') ?? false,
      gracefulRestart: gracefulRestart === 0 ? (setting<number>('hold-time') ?? 180) : gracefulRestart,
      addPath: addPathMode,
      multiSession: capability<boolean>('multi-session') ?? false,
      operational: capability<boolean>('operational') ?? false,
      extendedMessage: capability<boolean>('extended-message') ?? true,
      softwareVersion: capability<boolean>('software-version') ?? false,
      linkLocalPrefer: capability<boolean>('link-local-prefer') ?? false,
    };
    const aigp = capability<boolean>('aigp');
    if (aigp !== undefined) capabilities.aigp = aigp;
    if (nexthopCapability !== undefined) capabilities.nexthop = nexthopCapability;
    const llnh = capability<boolean | undefined>('link-local-nexthop');
    if (llnh !== undefined) capabilities.linkLocalNexthop = llnh;

    let tcpAo: TcpAo | undefined;
    if (tcpAoDraft !== undefined) {
      tcpAo = {
        keyid: tcpAoDraft.keyid!,
        algorithm: tcpAoDraft.algorithm!,
        password: tcpAoDraft.password!,
        base64: tcpAoDraft.base64 ?? false,
      };
      if (has('md5-password'))
        throw this.lexer.error(where, 'md5-password and tcp-ao cannot be used together', 'one of them');
    }

    // ExaBGP refuses a route whose family is not negotiated (IPv4 unicast is always accepted)
    if (familyBlock) {
      // Family objects are shared (families.ts), so identity is enough in this per-route loop
      const negotiated = new Set<Family>(families);
      negotiated.add(family('ipv4', 'unicast'));
      for (const route of routes) {
        if (negotiated.has(route.family)) continue;
        const key = nameOf(route.family);
        if (!seenFamilies.has(route.family.key)) {
          throw new ConfigError(
            this.file,
            this.lexer.source,
            { line: route.location.line, column: route.location.column, length: 1 },
            `a route of family ${key} is announced, but the family block of neighbor ${draft.name} does not list ${key}`,
            { expected: `'${key};' in the family block, or a route of ${families.map(nameOf).join(', ')}` },
          );
        }
      }
    }

    const neighbor: Neighbor = {
      peerAddress,
      peerRange,
      localAddress,
      localAs: localAs!,
      peerAs: peerAs!,
      holdTime: setting<number>('hold-time') ?? 180,
      passive,
      md5Base64: setting<boolean>('md5-base64') ?? false,
      groupUpdates: setting<boolean>('group-updates') ?? true,
      autoFlush: setting<boolean>('auto-flush') ?? true,
      adjRibOut: setting<boolean>('adj-rib-out') ?? capabilities.routeRefresh,
      adjRibIn: setting<boolean>('adj-rib-in') ?? false,
      manualEor: setting<boolean>('manual-eor') ?? false,
      inherit: draft.inherit.map((t) => t.text),
      families,
      familyBlock,
      addPath,
      nexthop,
      capabilities,
      api,
      routes,
      operational,
      location: this.location(draft.keyword),
    };
    if (capabilities.routeRefresh) neighbor.adjRibOut = true;
    const optional: [keyof Neighbor, string][] = [
      ['localLinkLocal', 'local-link-local'],
      ['sourceInterface', 'source-interface'],
      ['rateLimit', 'rate-limit'],
      ['listen', 'listen'],
      ['connect', 'connect'],
      ['description', 'description'],
      ['hostName', 'host-name'],
      ['domainName', 'domain-name'],
      ['md5Password', 'md5-password'],
      ['md5Ip', 'md5-ip'],
      ['outgoingTtl', 'outgoing-ttl'],
      ['incomingTtl', 'incoming-ttl'],
    ];
    const target = neighbor as unknown as Record<string, unknown>;
    for (const [field, key] of optional) {
      const value = setting<unknown>(key);
      if (value !== undefined) target[field] = value;
    }
    neighbor.routerId = routerId;
    // session.py `validate_md5`: a base64 password must decode (RFC 2385 keys are at most 80 bytes)
    if (neighbor.md5Password !== undefined && neighbor.md5Base64) {
      const password = neighbor.md5Password;
      const decoded = Buffer.from(password, 'base64');
      const clean = password.replace(/=+$/, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(password) || decoded.toString('base64').replace(/=+$/, '') !== clean) {
        throw this.lexer.error(
          where,
          `md5-password is not valid base64 (md5-base64 is set)`,
          'a base64 encoded password',
        );
      }
      if (decoded.length > 80) {
        throw this.lexer.error(where, 'the md5 password is longer than 80 bytes', 'at most 80 bytes (RFC 2385)');
      }
    } else if (neighbor.md5Password !== undefined && Buffer.byteLength(neighbor.md5Password) > 80) {
      throw this.lexer.error(where, 'the md5 password is longer than 80 bytes', 'at most 80 bytes (RFC 2385)');
    }
    // session.py `infer`: the MD5 address defaults to the local address
    if (neighbor.md5Password !== undefined && neighbor.md5Ip === undefined && localAddress !== 'auto') {
      neighbor.md5Ip = localAddress;
    }
    if (tcpAo !== undefined) neighbor.tcpAo = tcpAo;
    return neighbor;
  }

  /** every process named by an api block exists (configuration.py `validate`) */
  private checkApiProcesses(neighbors: Neighbor[]): void {
    for (const neighbor of neighbors) {
      for (const api of neighbor.api) {
        for (const name of api.processes) {
          if (!this.processNames.has(name)) {
            const guess = suggest(name, [...this.processNames.keys()]);
            const use = this.processUses.find((u) => u.name === name)!;
            throw new ConfigError(
              this.file,
              this.lexer.source,
              use.token,
              `an api of neighbor ${neighbor.peerAddress} uses process '${name}', which is not defined`,
              {
                expected:
                  this.processNames.size > 0
                    ? `one of: ${[...this.processNames.keys()].join(', ')}`
                    : 'a process { } block',
                ...(guess === undefined ? {} : { hint: `did you mean '${guess}'?` }),
              },
            );
          }
        }
        if (api.processesMatch.length > 0) {
          const names = [...this.processNames.keys()];
          const matched = api.processesMatch.some((pattern) =>
            names.some((n) => new RegExp(`^(?:${pattern})`).test(n)),
          );
          if (!matched) {
            throw new ConfigError(
              this.file,
              this.lexer.source,
              { line: neighbor.location.line, column: neighbor.location.column, length: 8 },
              `no process matches the processes-match patterns of neighbor ${neighbor.peerAddress}`,
              { expected: `a pattern matching one of: ${names.join(', ') || '(no process defined)'}` },
            );
          }
        }
      }
    }
  }
}

interface FlowState {
  r: RouteDraft;
  components: FlowComponent[];
  communities: ExtendedCommunity[];
  afi: 'ipv4' | 'ipv6' | undefined;
  afiToken: Token | undefined;
}

const FLOW_THEN_KEYWORDS = [
  'accept',
  'discard',
  'rate-limit',
  'redirect',
  'redirect-to-nexthop',
  'redirect-to-nexthop-ietf',
  'copy',
  'mark',
  'action',
  'community',
  'large-community',
  'extended-community',
  'interface-set',
  'attribute',
];

const FLOW_ATTRIBUTE_KEYWORDS = new Set(['community', 'large-community', 'extended-community', 'attribute']);
