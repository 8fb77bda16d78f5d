export { runSpeak, speakHelp } from './command.js';
export type { NeighborSpeaker, RetrySettings } from './neighbor.js';
export { type SpeakOptions, speak } from './speak.js';
export {
  Speaker,
  type SpeakerOptions,
  SpeakerRefused,
  type SpeakTransport,
  TRANSPORT_DRIVERS,
} from './speaker.js';
