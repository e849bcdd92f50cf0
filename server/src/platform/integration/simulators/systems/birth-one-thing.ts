// 出生“一件事”: birth registration bundle, with the birth verification modules (issue 6 item 8).
// Until then it accepts any signed write (POST /inbox/<topic> and the rest) as the generic simulator does.
import { defineSimulator } from '../simulator.ts';

export const birthOneThingSimulator = defineSimulator({ system: 'birth-one-thing' });
