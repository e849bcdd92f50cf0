// 一网通办/随申办: application intake and status push come with the subsidy confirmation flow (issue 6 item 5).
// Until then it accepts any signed write (POST /inbox/<topic> and the rest) as the generic simulator does.
import { defineSimulator } from '../simulator.ts';

export const oneNetSimulator = defineSimulator({ system: 'one-net' });
