/**
 * connectedFirst: a peer's OPEN read before the FSM handled `tcp-connected` is handed to the FSM once it is
 * in OpenSent, not dropped (RFC 4271 §8.2.2: OpenSent is where the OPEN is expected).
 */
import { encodeKeepalive, encodeOpen } from 'bgp-codec';
import { bgpFsm, type Effect, type Fsm, type FsmEvent } from 'fsm-bridge';
import { describe, expect, it } from 'vitest';
import { connectedFirst } from './peer-driver.js';

const CONFIG = { localAs: 65001, peerAs: 65002, routerId: '10.0.0.1', holdTime: 30, capabilities: [], passive: true };
const PEER_OPEN = encodeOpen({
  type: 'open',
  version: 4,
  asn: 65002,
  holdTime: 30,
  bgpIdentifier: '10.0.0.2',
  capabilities: [],
});

function message(bytes: Uint8Array): FsmEvent {
  return { kind: 'message', type: bytes[18] as number, message: bytes, body: bytes.subarray(19) };
}

/** Run the FSM, answering each `receive` with the next event (a function is called for it); stop when none is left. */
function drive(fsm: Fsm, events: Array<FsmEvent | (() => FsmEvent)>): Effect[] {
  const effects: Effect[] = [];
  let input: FsmEvent | undefined;
  for (let steps = 0; steps < 200; steps++) {
    const step = fsm.next(input);
    input = undefined;
    if (step.done) break;
    effects.push(step.value);
    if (step.value.kind === 'receive') {
      const next = events.shift();
      if (next === undefined) break;
      input = typeof next === 'function' ? next() : next;
    }
  }
  return effects;
}

const states = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'state' ? [e.to] : []));

describe('connectedFirst', () => {
  it('delivers an OPEN that was read before tcp-connected once the FSM is in OpenSent', () => {
    const early = PEER_OPEN.slice();
    const effects = drive(connectedFirst(bgpFsm(CONFIG)), [
      message(early),
      () => {
        // a frame is a view the transport reuses after the next read: what was kept must be a copy
        early.fill(0);
        return { kind: 'tcp-connected', direction: 'incoming' };
      },
    ]);
    expect(states(effects)).toEqual(['Active', 'OpenSent', 'OpenConfirm']);
    expect(effects.some((e) => e.kind === 'open-received')).toBe(true);
  });

  it('shows what it works around: the bare FSM drops that OPEN and stays in OpenSent', () => {
    const events: FsmEvent[] = [message(PEER_OPEN.slice()), { kind: 'tcp-connected', direction: 'incoming' }];
    expect(states(drive(bgpFsm(CONFIG), events))).toEqual(['Active', 'OpenSent']);
  });

  it('leaves messages that arrive on a connected session in their place', () => {
    const events: FsmEvent[] = [
      { kind: 'tcp-connected', direction: 'incoming' },
      message(PEER_OPEN.slice()),
      message(encodeKeepalive()),
    ];
    expect(states(drive(connectedFirst(bgpFsm(CONFIG)), events))).toEqual([
      'Active',
      'OpenSent',
      'OpenConfirm',
      'Established',
    ]);
  });
});
