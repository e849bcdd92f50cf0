import type { JobDef } from '../jobs/types.ts';

export const auditJobs: JobDef[] = [];
