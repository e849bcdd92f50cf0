// 市大数据中心 data resource platform: 公安 birth registrations, 民政 marriages and the newborn population library (issue 6 items 9-10).
// Until then it accepts any signed write (POST /inbox/<topic> and the rest) as the generic simulator does.
import { defineSimulator } from '../simulator.ts';

export const dataPlatformSimulator = defineSimulator({ system: 'data-platform' });
