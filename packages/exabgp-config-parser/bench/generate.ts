/**
 * Generated ExaBGP configurations for benchmarks: many routes on one neighbor, or many neighbors.
 * The text is built in chunks joined once (no per-route string concatenation of the whole text).
 */

export interface RoutesConfigOptions {
  /** routes in the static block */
  routes: number;
  /** share of routes written as `route X { ... }` blocks instead of one-line statements (0..1), default 0 */
  blockShare?: number;
  /** routes per distinct attribute set (so UPDATE grouping has something to group), default 100 */
  routesPerAttributeSet?: number;
}

/** IPv4 /32s counted up from 10.0.0.0, so any count up to 2^24 gives distinct prefixes */
function ipv4(n: number): string {
  return `${10 + ((n >>> 24) & 0xff)}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** One neighbor announcing `routes` IPv4 unicast routes with communities, MED, AS path, local preference. */
export function generateRoutesConfig(options: RoutesConfigOptions): string {
  const { routes, blockShare = 0, routesPerAttributeSet = 100 } = options;
  const parts: string[] = [
    'neighbor 127.0.0.1 {\n',
    '\trouter-id 10.255.255.1;\n\tlocal-address 127.0.0.1;\n\tlocal-as 65000;\n\tpeer-as 65000;\n',
    '\tfamily {\n\t\tipv4 unicast;\n\t}\n\tstatic {\n',
  ];
  const blockEvery = blockShare > 0 ? Math.max(1, Math.round(1 / blockShare)) : 0;
  for (let i = 0; i < routes; i++) {
    const set = Math.floor(i / routesPerAttributeSet);
    const med = set % 1000;
    const community = `65000:${set % 65536}`;
    if (blockEvery > 0 && i % blockEvery === 0) {
      parts.push(
        `\t\troute ${ipv4(i)}/32 {\n\t\t\tnext-hop 192.0.2.1;\n\t\t\tmed ${med};\n\t\t\tcommunity [ ${community} 65000:1 ];\n\t\t\tas-path [ 65001 65002 ];\n\t\t}\n`,
      );
    } else {
      parts.push(
        `\t\troute ${ipv4(i)}/32 next-hop 192.0.2.1 med ${med} local-preference 100 community [ ${community} 65000:1 ] as-path [ 65001 65002 ];\n`,
      );
    }
  }
  parts.push('\t}\n}\n');
  return parts.join('');
}

export interface NeighborsConfigOptions {
  neighbors: number;
  /** routes each neighbor announces, default 10 */
  routesPerNeighbor?: number;
  /** put the common settings in a template every neighbor inherits, default true */
  template?: boolean;
}

/** `neighbors` IPv4 neighbors (10.x.y.z peers), each with its own routes, inheriting one template. */
export function generateNeighborsConfig(options: NeighborsConfigOptions): string {
  const { neighbors, routesPerNeighbor = 10, template = true } = options;
  const parts: string[] = ['process monitor {\n\trun ./monitor.sh;\n\tencoder json;\n}\n\n'];
  const common =
    '\t\tlocal-as 65000;\n\t\thold-time 90;\n\t\tfamily {\n\t\t\tipv4 unicast;\n\t\t\tipv6 unicast;\n\t\t}\n' +
    '\t\tcapability {\n\t\t\troute-refresh;\n\t\t\tgraceful-restart 120;\n\t\t}\n' +
    '\t\tapi {\n\t\t\tprocesses [ monitor ];\n\t\t\treceive {\n\t\t\t\tparsed;\n\t\t\t\tupdate;\n\t\t\t}\n\t\t}\n';
  if (template) parts.push(`template {\n\tneighbor common {\n${common}\t}\n}\n\n`);
  for (let n = 0; n < neighbors; n++) {
    const peer = ipv4(n + 1).replace(/^1(\d)\./, (_m, d: string) => `1${d}.`);
    parts.push(`neighbor ${peer} {\n`);
    if (template) parts.push('\tinherit common;\n');
    else parts.push(common.replace(/^\t\t/gm, '\t'));
    parts.push(
      `\trouter-id 192.0.2.1;\n\tlocal-address 192.0.2.1;\n\tpeer-as ${65001 + (n % 1000)};\n\tdescription "peer ${n}";\n`,
    );
    parts.push('\tstatic {\n');
    for (let r = 0; r < routesPerNeighbor; r++) {
      parts.push(
        `\t\troute 172.${16 + (r >>> 16)}.${(r >>> 8) & 0xff}.${r & 0xff}/32 next-hop self community [ 65000:${n % 65536} ];\n`,
      );
    }
    parts.push('\t}\n}\n');
  }
  return parts.join('');
}
