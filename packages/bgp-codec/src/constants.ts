/** BGP message types (RFC 4271 §4.1, RFC 2918). */
export const MessageType = {
  OPEN: 1,
  UPDATE: 2,
  NOTIFICATION: 3,
  KEEPALIVE: 4,
  ROUTE_REFRESH: 5,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** RFC 4271 §4.1: the fixed header is a 16-byte marker, 2-byte length and 1-byte type. */
export const HEADER_LENGTH = 19;
/** RFC 4271 §4.1: the marker, 16 octets of all ones, that starts every message. */
export const MARKER_LENGTH = 16;
/** RFC 4271 §4.1: the largest message without Extended Message. */
export const MAX_MESSAGE_LENGTH = 4096;
/** RFC 8654: the largest message once Extended Message is negotiated. */
export const MAX_EXTENDED_MESSAGE_LENGTH = 65535;

/** Address Family Identifiers (IANA). */
export const Afi = {
  IPV4: 1,
  IPV6: 2,
  L2VPN: 25,
  BGP_LS: 16388,
} as const;
export type Afi = number;

/** Subsequent Address Family Identifiers (IANA). */
export const Safi = {
  UNICAST: 1,
  MULTICAST: 2,
  MPLS_LABEL: 4,
  MCAST_VPN: 5,
  VPLS: 65,
  EVPN: 70,
  BGP_LS: 71,
  BGP_LS_VPN: 72,
  SR_POLICY: 73,
  MUP: 85,
  MPLS_VPN: 128,
  MCAST_VPN_MPLS: 129,
  RTC: 132,
  FLOWSPEC: 133,
  FLOWSPEC_VPN: 134,
} as const;
export type Safi = number;
