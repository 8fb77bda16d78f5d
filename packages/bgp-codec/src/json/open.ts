/**
 * The `"capabilities"` object of ExaBGP's OPEN JSON. ExaBGP folds the capabilities of an OPEN into one
 * entry per code, in the order each code first appears (Capabilities.unpack): multiprotocol, ADD-PATH and
 * extended next hop entries accumulate, the others are replaced by the last one received. Each entry is
 * printed by that capability class's json(), reproduced here with its spacing.
 */
import type { Capability } from '../capabilities.js';
import { afiName } from '../families/key.js';
import { safiName } from '../families/table.js';
import { hexUpper, pyJsonString } from './format.js';

const ADD_PATH_NAMES: Readonly<Record<number, string>> = { 0: 'disabled', 1: 'receive', 2: 'send', 3: 'send/receive' };

const family = (afi: number, safi: number) => `${afiName(afi)}/${safiName(safi)}`;

/** What ExaBGP keeps per capability code while reading an OPEN. */
type Folded =
  | { kind: 'multiprotocol'; families: string[] }
  | { kind: 'add-path'; families: Map<string, number> }
  | { kind: 'nexthop'; conversions: string[] }
  | { kind: 'paths-limit'; families: Map<string, number> }
  | { kind: 'single'; json: string };

function codeOf(capability: Capability): number {
  switch (capability.type) {
    case 'multiprotocol':
      return 1;
    case 'route-refresh':
      return 2;
    case 'extended-next-hop':
      return 5;
    case 'extended-message':
      return 6;
    case 'graceful-restart':
      return 64;
    case 'asn4':
      return 65;
    case 'multisession':
      return capability.variant === 'cisco' ? 131 : 68;
    case 'add-path':
      return 69;
    case 'enhanced-route-refresh':
      return 70;
    case 'fqdn':
      return 73;
    case 'software-version':
      return 75;
    case 'link-local-next-hop':
      return 77;
    case 'route-refresh-cisco':
      return 128;
    case 'unknown':
      return capability.code;
  }
}

function gracefulRestartJson(capability: Extract<Capability, { type: 'graceful-restart' }>): string {
  // graceful.py: the per-family Forwarding State bit is printed as "restart", the Restart State flag as
  // "forwarding"; the odd spacing is ExaBGP's.
  const families = new Map<string, number>();
  for (const f of capability.families) families.set(family(f.afi, f.safi), f.flags & 0x80);
  const flags = [...families].map(([name, flags]) => `"${name}": [${flags & 0x80 ? ' "restart"' : ''} ] `).join(', ');
  const restart = `[${capability.restartFlags & 0x8 ? ' "forwarding" ' : ' '}] `;
  return `{ "name": "graceful restart", "time": ${capability.restartTime}, "address-family-flags": { ${flags}}, "restart-flags": ${restart} }`;
}

/** unknown.py: IANA's range for the code, and the value in upper-case hex. */
function unknownJson(code: number, data: Uint8Array): string {
  const iana = code >= 70 && code < 128 ? 'unassigned' : code >= 128 && code < 256 ? 'reserved' : 'unknown';
  return `{ "name": "unknown", "iana": "${iana}", "value": ${code}, "raw": "${hexUpper(data)}" }`;
}

function fold(entries: Map<number, Folded>, capability: Capability, variants: Variants): void {
  const code = codeOf(capability);
  const existing = entries.get(code);
  switch (capability.type) {
    case 'multiprotocol': {
      const folded = existing?.kind === 'multiprotocol' ? existing : { kind: 'multiprotocol' as const, families: [] };
      const name = family(capability.afi, capability.safi);
      if (!folded.families.includes(name)) folded.families.push(name);
      entries.set(code, folded);
      return;
    }
    case 'add-path': {
      const folded = existing?.kind === 'add-path' ? existing : { kind: 'add-path' as const, families: new Map() };
      for (const f of capability.families) folded.families.set(family(f.afi, f.safi), f.sendReceive);
      entries.set(code, folded);
      return;
    }
    case 'extended-next-hop': {
      const folded = existing?.kind === 'nexthop' ? existing : { kind: 'nexthop' as const, conversions: [] };
      for (const e of capability.entries) {
        // nexthop.py reads the SAFI from the low octet of the 2-octet field.
        const name = `${family(e.afi, e.safi & 0xff)}/${afiName(e.nextHopAfi)}`;
        if (!folded.conversions.includes(name)) folded.conversions.push(name);
      }
      entries.set(code, folded);
      return;
    }
    case 'unknown': {
      if (code === 76) {
        // draft-abraitis-idr-addpath-paths-limit: AFI (2), SAFI (1), limit (2), which ExaBGP interprets.
        const folded =
          existing?.kind === 'paths-limit' ? existing : { kind: 'paths-limit' as const, families: new Map() };
        const d = capability.data;
        for (let at = 0; at + 5 <= d.length; at += 5) {
          folded.families.set(family((d[at]! << 8) | d[at + 1]!, d[at + 2]!), (d[at + 3]! << 8) | d[at + 4]!);
        }
        entries.set(code, folded);
        return;
      }
      entries.set(code, {
        kind: 'single',
        json: code === 185 ? '{ "name": "operational" }' : unknownJson(code, capability.data),
      });
      return;
    }
    default:
      entries.set(code, { kind: 'single', json: singleJson(capability, variants) });
  }
}

/**
 * ExaBGP registers one class for route refresh codes 2 and 128, and one for multisession codes 68 and 131,
 * and looking a class up by code sets the class's ID: every entry of the class prints the variant of the
 * code read last. `variants` holds, per class, whether that last code was Cisco's.
 */
interface Variants {
  readonly routeRefreshCisco: boolean;
  readonly multisessionCisco: boolean;
}

function lastVariants(capabilities: readonly Capability[]): Variants {
  let routeRefreshCisco = false;
  let multisessionCisco = false;
  for (const c of capabilities) {
    if (c.type === 'route-refresh') routeRefreshCisco = false;
    else if (c.type === 'route-refresh-cisco') routeRefreshCisco = true;
    else if (c.type === 'multisession') multisessionCisco = c.variant === 'cisco';
  }
  return { routeRefreshCisco, multisessionCisco };
}

function singleJson(capability: Capability, variants: Variants): string {
  switch (capability.type) {
    case 'route-refresh':
    case 'route-refresh-cisco':
      return `{ "name": "route-refresh", "variant": "${variants.routeRefreshCisco ? 'Cisco' : 'RFC'}" }`;
    case 'extended-message':
      return '{ "name": "extended-message", "size": 65535 }';
    case 'graceful-restart':
      return gracefulRestartJson(capability);
    case 'asn4':
      return `{ "name": "asn4", "asn4": ${capability.asn} }`;
    case 'multisession':
      // ms.py does not read the value on receipt: the list of session capabilities stays empty.
      return `{ "name": "multisession", "variant": "${variants.multisessionCisco ? 'Cisco' : 'RFC'}", "capabilities": [ ] }`;
    case 'enhanced-route-refresh':
      return '{ "name": "enhanced-route-refresh" }';
    case 'fqdn':
      return `{ "host-name": ${pyJsonString(capability.hostname)}, "domain-name": ${pyJsonString(capability.domain)} }`;
    case 'software-version':
      return `{ "software": ${pyJsonString(capability.version)} }`;
    case 'link-local-next-hop':
      return '{ "name": "link-local-nexthop" }';
    default:
      return '{ }';
  }
}

function foldedJson(folded: Folded): string {
  switch (folded.kind) {
    case 'multiprotocol':
      return `{ "name": "multiprotocol", "families": [${folded.families.map((f) => ` "${f}"`).join(',')} ] }`;
    case 'add-path': {
      const families = [...folded.families]
        .map(([name, value]) => `"${name}": ${pyJsonString(ADD_PATH_NAMES[value] ?? `invalid (${value})`)}`)
        .join(',');
      return `{ "name": "addpath"${families ? ', ' : ''}${families} }`;
    }
    case 'nexthop':
      return `{ "name": "nexthop", "conversion": [${folded.conversions.map((c) => ` "${c}"`).join(',')} ] }`;
    case 'paths-limit': {
      const families = [...folded.families].map(([name, limit]) => `"${name}": ${limit}`).join(', ');
      return `{ "name": "paths-limit"${families ? ', ' : ''}${families} }`;
    }
    case 'single':
      return folded.json;
  }
}

/** `{ "1": {...}, "65": {...} }` for the capabilities of one OPEN, as ExaBGP prints them. */
export function capabilitiesJson(capabilities: readonly Capability[]): string {
  const entries = new Map<number, Folded>();
  const variants = lastVariants(capabilities);
  for (const capability of capabilities) fold(entries, capability, variants);
  return `{ ${[...entries].map(([code, folded]) => `"${code}": ${foldedJson(folded)}`).join(', ')} }`;
}
