/**
 * The `"capabilities"` object of ExaBGP's OPEN JSON. ExaBGP folds the capabilities of an OPEN into one
 * entry per code, in the order each code first appears (Capabilities.unpack); how each code folds and
 * prints is its capability row's `json`.
 */
import { type Capability, type CapabilityJson, capabilityCode, capabilityJson } from '../capabilities.js';

/** `{ "1": {...}, "65": {...} }` for the capabilities of one OPEN, as ExaBGP prints them. */
export function capabilitiesJson(capabilities: readonly Capability[]): string {
  const entries = new Map<number, { json: CapabilityJson<Capability, unknown>; entry: unknown }>();
  for (const capability of capabilities) {
    const code = capabilityCode(capability);
    const json = capabilityJson(capability);
    const previous = entries.get(code);
    entries.set(code, { json, entry: json.fold(previous?.json === json ? previous.entry : undefined, capability) });
  }
  const printed = [...entries].map(([code, { json, entry }]) => `"${code}": ${json.print(entry, capabilities)}`);
  return `{ ${printed.join(', ')} }`;
}
