/**
 * IPv4 and IPv6 labelled unicast, SAFI 4 (`nlri-mpls`, ExaBGP's configuration also says `labeled-unicast`):
 * prefixes bound to an MPLS label stack (RFC 8277), with RFC 7911 path identifiers, and the next hop of
 * the prefix's own family.
 */
import { Afi, Safi } from '../constants.js';
import {
  decodeLabeledPrefixes,
  type LabeledPrefix,
  labeledNlriSize,
  labeledPrefix,
  writeLabeledNlri,
} from '../nlri/labeled.js';
import { labelStack, labelsJson, labelsText, labelValue } from '../nlri/labels.js';
import { comparePrefixes, ipNextHop, pathIdJson, pathIdText, prefixIdentity, prefixText } from './ip.js';
import { afiName, familyKey } from './key.js';
import type { AddressFamily, ExabgpFamily, FamilyCodec } from './types.js';

const rebuilt = (labels: readonly number[]) => labelStack(labels.map(labelValue));

function labeledCodec(afi: 1 | 2): FamilyCodec<LabeledPrefix> {
  return {
    kind: 'labeled-prefix',
    // RFC 8277 §2: the next hop is that of the prefix's family (ExaBGP Family.size); RFC 8950 for IPv4.
    nextHop:
      afi === 1
        ? ipNextHop([4], { afi: Afi.IPV6, lengths: [16, 32] })
        : ipNextHop([16, 32], { afi: Afi.IPV4, lengths: [4] }),
    decode: (b, start, end, addPath, withdraw, out) =>
      decodeLabeledPrefixes(b, start, end, afi, addPath, withdraw, out),
    encode: writeLabeledNlri,
    size: labeledNlriSize,
    // label.py index(): path identifier and prefix, not the labels.
    compare: comparePrefixes,
    identity: prefixIdentity,
    // label.py json() / extensive(), of the stack as ExaBGP rebuilds it on decoding (inet.py unpack_nlri keeps
    // the label values and sets the Bottom of Stack bit on the last one: Traffic Class bits are not shown)
    json: (nlri) => `{ "nlri": "${prefixText(nlri)}"${pathIdJson(nlri.pathId)}${labelsJson(rebuilt(nlri.labels))} }`,
    text: (nlri) => `${prefixText(nlri)}${pathIdText(nlri.pathId)}${labelsText(rebuilt(nlri.labels))}`,
    fromPrefix: (prefix, { labels = [] }) => labeledPrefix(prefix, labels),
  };
}

function labeledRow(afi: 1 | 2, exabgp: ExabgpFamily): AddressFamily<LabeledPrefix> {
  return {
    key: familyKey(afi, Safi.MPLS_LABEL),
    afi,
    safi: Safi.MPLS_LABEL,
    name: `${afiName(afi)} nlri-mpls`,
    afiName: afiName(afi),
    safiName: 'nlri-mpls',
    safiAliases: ['labeled-unicast'],
    exabgp,
    codec: labeledCodec(afi),
  };
}

export const IPV4_NLRI_MPLS = labeledRow(Afi.IPV4, {
  configurable: true,
  addPathOrder: 2,
  extendedNextHopAfi: Afi.IPV6,
  groupUpdates: false,
  nlriField: false,
});
export const IPV6_NLRI_MPLS = labeledRow(Afi.IPV6, {
  configurable: true,
  addPathOrder: 3,
  groupUpdates: false,
  nlriField: false,
});
