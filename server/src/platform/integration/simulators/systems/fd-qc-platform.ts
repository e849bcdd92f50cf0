// 家庭医生质控平台: family-doctor quality-control exchange (health network issues). Data-set pushes go to
// POST /inbox/<topic> as on the generic simulator; the doctor directory the platform syncs family doctors
// from is served by the fd-people module's routes (GET/POST /api/doctors).
import { qcDoctorRoutes } from './fd-qc-doctors.ts';
import { defineSimulator } from '../simulator.ts';

export const fdQcPlatformSimulator = defineSimulator({ system: 'fd-qc-platform', routes: qcDoctorRoutes });
