import type { FsmEvent } from '../fsm.js';

/** First in, first out, without Array.shift's copying: events waiting for the FSM's next `receive`. */
export class EventQueue {
  private items: (FsmEvent | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(event: FsmEvent): void {
    this.items.push(event);
  }

  /** Remove the events `stale` picks, keeping the others in order. */
  discard(stale: (event: FsmEvent) => boolean): void {
    const kept = this.items.slice(this.head).filter((event) => event !== undefined && !stale(event));
    this.items = kept;
    this.head = 0;
  }

  shift(): FsmEvent | undefined {
    if (this.head >= this.items.length) return undefined;
    const event = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return event;
  }
}
