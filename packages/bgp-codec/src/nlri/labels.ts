/**
 * MPLS label stacks as BGP carries them (RFC 8277 §2): each Label field is 3 octets, the 20-bit label, the
 * 3-bit Traffic Class and the Bottom of Stack bit.
 */

/**
 * The label stack entries of a route, each the 3-octet field as sent (RFC 8277 §2): the 20-bit label, the
 * 3-bit Traffic Class and the Bottom of Stack bit, `label << 4 | tc << 1 | s`. Kept as sent so a route
 * re-encodes byte for byte; {@link labelStack} builds one from label values, {@link labelValue} reads one.
 */
export type LabelStack = readonly number[];

/** RFC 8277 §2.4: the "compatibility" label a withdrawal may carry, with the Bottom of Stack bit clear. */
export const WITHDRAWAL_LABEL = 0x800000;

/** The label value of a stack entry (its 20 high bits). */
export function labelValue(entry: number): number {
  return entry >>> 4;
}

/** The stack entries for label values, Traffic Class 0, the Bottom of Stack bit on the last (RFC 8277 §2). */
export function labelStack(values: readonly number[]): number[] {
  return values.map((value, i) => {
    if (!Number.isInteger(value) || value < 0 || value > 0xfffff) throw new RangeError(`MPLS label ${value}`);
    return ((value << 4) | (i === values.length - 1 ? 1 : 0)) >>> 0;
  });
}

/** labels.py json(): `"label": [ [1000, 16001] ]`, each label value then its entry (the entry left out when 0). */
export function labelsJson(labels: LabelStack): string {
  if (labels.length === 0) return '';
  return `, "label": [ ${labels.map((e) => `[${labelValue(e)}${e ? `, ${e}` : ''}]`).join(', ')} ]`;
}

/** labels.py `__str__`: ` label 1000 (16001)`, or ` label [ 100 (1600) 200 (3201) ]` for a stack. */
export function labelsText(labels: LabelStack): string {
  const one = (e: number) => `${labelValue(e)}${e ? ` (${e})` : ''}`;
  if (labels.length === 0) return '';
  if (labels.length === 1) return ` label ${one(labels[0]!)}`;
  return ` label [ ${labels.map(one).join(' ')} ]`;
}
