// 健康云: residents' health app (health network issues).
// Until then it accepts any signed write (POST /inbox/<topic> and the rest) as the generic simulator does.
import { defineSimulator } from '../simulator.ts';

export const healthCloudSimulator = defineSimulator({ system: 'health-cloud' });
