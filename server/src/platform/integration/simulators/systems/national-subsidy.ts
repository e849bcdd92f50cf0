// 国家育儿补贴信息管理系统: field requirements, application upload, results and feedback come with issue 6 (items 4-6).
// Until then it accepts any signed write (POST /inbox/<topic> and the rest) as the generic simulator does.
import { defineSimulator } from '../simulator.ts';

export const nationalSubsidySimulator = defineSimulator({ system: 'national-subsidy' });
