// 市妇幼保健中心: the daily pregnancy/birth source channel (issue 6 item 8).
// Until then it accepts any signed write (POST /inbox/<topic> and the rest) as the generic simulator does.
import { defineSimulator } from '../simulator.ts';

export const maternalChildSimulator = defineSimulator({ system: 'maternal-child' });
