// 社区云: street tasks and their feedback (issue 6 item 8).
// Until then it accepts any signed write (POST /inbox/<topic> and the rest) as the generic simulator does.
import { defineSimulator } from '../simulator.ts';

export const communityCloudSimulator = defineSimulator({ system: 'community-cloud' });
