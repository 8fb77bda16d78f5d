/**
 * A neighbor once its file is read: its templates applied (its own settings win; among templates, a later
 * `inherit` wins), ExaBGP's defaults filled in, and the checks ExaBGP makes before it runs.
 */

import { type FamilyKey, familyKey } from 'bgp-codec';
import { ConfigError, suggest } from '../errors.js';
import { family } from '../families.js';
import type {
  AddPathFamily,
  Api,
  Capabilities,
  Family,
  Neighbor,
  NextHopFamily,
  OperationalMessage,
  Route,
  TcpAo,
} from '../model.js';
import { nameOf } from './family.js';
import type { ConfigurationParser } from './parser.js';
import type { Draft } from './types.js';

export function resolve(p: ConfigurationParser, draft: Draft): Neighbor {
  // the neighbor's own settings win; among templates, a later `inherit` wins over an earlier one
  const chain: Draft[] = [];
  for (const token of draft.inherit) {
    const template = p.templates.get(token.text);
    if (template === undefined) {
      const guess = suggest(token.text, [...p.templates.keys()]);
      throw new ConfigError(p.file, p.lexer.source, token, `unknown template '${token.text}'`, {
        expected:
          p.templates.size > 0
            ? `one of: ${[...p.templates.keys()].join(', ')}`
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
    throw p.lexer.error(
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
    throw p.lexer.error(
      where,
      'local-address and peer-address must be of the same family',
      `an ${peerAfi} local-address`,
    );
  }
  const passive = setting<boolean>('passive') ?? false;
  if (peerRange && !passive) {
    throw p.lexer.error(where, 'can only use ip ranges for the peer address with passive neighbors', "'passive true;'");
  }
  let routerId = setting<string>('router-id');
  if (routerId === undefined && localAddress !== 'auto' && !localAddress.includes(':')) routerId = localAddress;
  // bgp/neighbor/session.py `missing`
  if (setting<number>('listen') !== undefined && localAddress === 'auto') {
    throw p.lexer.error(
      where,
      `incomplete neighbor ${draft.name}, missing local-address`,
      "'local-address IP;' (needed with listen)",
    );
  }
  if (routerId === undefined) {
    throw p.lexer.error(
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
      throw p.lexer.error(where, 'md5-password and tcp-ao cannot be used together', 'one of them');
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
          p.file,
          p.lexer.source,
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
    location: p.location(draft.keyword),
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
      throw p.lexer.error(where, `md5-password is not valid base64 (md5-base64 is set)`, 'a base64 encoded password');
    }
    if (decoded.length > 80) {
      throw p.lexer.error(where, 'the md5 password is longer than 80 bytes', 'at most 80 bytes (RFC 2385)');
    }
  } else if (neighbor.md5Password !== undefined && Buffer.byteLength(neighbor.md5Password) > 80) {
    throw p.lexer.error(where, 'the md5 password is longer than 80 bytes', 'at most 80 bytes (RFC 2385)');
  }
  // session.py `infer`: the MD5 address defaults to the local address
  if (neighbor.md5Password !== undefined && neighbor.md5Ip === undefined && localAddress !== 'auto') {
    neighbor.md5Ip = localAddress;
  }
  if (tcpAo !== undefined) neighbor.tcpAo = tcpAo;
  return neighbor;
}

/** every process named by an api block exists (configuration.py `validate`) */
export function checkApiProcesses(p: ConfigurationParser, neighbors: Neighbor[]): void {
  for (const neighbor of neighbors) {
    for (const api of neighbor.api) {
      for (const name of api.processes) {
        if (!p.processNames.has(name)) {
          const guess = suggest(name, [...p.processNames.keys()]);
          const use = p.processUses.find((u) => u.name === name)!;
          throw new ConfigError(
            p.file,
            p.lexer.source,
            use.token,
            `an api of neighbor ${neighbor.peerAddress} uses process '${name}', which is not defined`,
            {
              expected:
                p.processNames.size > 0 ? `one of: ${[...p.processNames.keys()].join(', ')}` : 'a process { } block',
              ...(guess === undefined ? {} : { hint: `did you mean '${guess}'?` }),
            },
          );
        }
      }
      if (api.processesMatch.length > 0) {
        const names = [...p.processNames.keys()];
        const matched = api.processesMatch.some((pattern) => names.some((n) => new RegExp(`^(?:${pattern})`).test(n)));
        if (!matched) {
          throw new ConfigError(
            p.file,
            p.lexer.source,
            { line: neighbor.location.line, column: neighbor.location.column, length: 8 },
            `no process matches the processes-match patterns of neighbor ${neighbor.peerAddress}`,
            { expected: `a pattern matching one of: ${names.join(', ') || '(no process defined)'}` },
          );
        }
      }
    }
  }
}
