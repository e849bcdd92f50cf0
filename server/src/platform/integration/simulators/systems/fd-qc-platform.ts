// 家庭医生质控平台: family-doctor quality-control exchange (health network issues).
// Until then it accepts any signed write (POST /inbox/<topic> and the rest) as the generic simulator does.
import { defineSimulator } from '../simulator.ts';

export const fdQcPlatformSimulator = defineSimulator({ system: 'fd-qc-platform' });
