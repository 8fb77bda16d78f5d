import { describe, expect, it } from 'vitest';
import { labelStack, labelsJson, labelsText, labelValue } from './labels.js';

describe('MPLS label stacks (RFC 8277 §2)', () => {
  it('sets the Bottom of Stack bit on the last label only', () => {
    expect(labelStack([1000])).toEqual([16001]);
    expect(labelStack([100, 200])).toEqual([0x640, 0xc81]);
    expect(labelStack([])).toEqual([]);
    expect(labelValue(16001)).toBe(1000);
    expect(labelValue(0x800000)).toBe(524288);
    expect(() => labelStack([1 << 20])).toThrow(RangeError);
    expect(() => labelStack([-1])).toThrow(RangeError);
  });

  it('prints them as ExaBGP does (labels.py json() and __str__)', () => {
    expect(labelsJson([16001])).toBe(', "label": [ [1000, 16001] ]');
    expect(labelsJson([0x640, 0xc81])).toBe(', "label": [ [100, 1600], [200, 3201] ]');
    // a zero entry prints its label alone (ExaBGP leaves out a raw value that is 0)
    expect(labelsJson([0])).toBe(', "label": [ [0] ]');
    expect(labelsJson([])).toBe('');
    expect(labelsText([16001])).toBe(' label 1000 (16001)');
    expect(labelsText([0x640, 0xc81])).toBe(' label [ 100 (1600) 200 (3201) ]');
    expect(labelsText([])).toBe('');
  });
});
