import { systemJobContext } from '../../../platform/jobs/context.ts';
import type { JobContext } from '../../../platform/jobs/types.ts';
import type { TestApp } from '../../../test/harness.ts';

/** A job context running as the system principal (city scope), as the scheduler would. */
export function jobContext(t: TestApp, runId = 1): JobContext {
  return systemJobContext(t.kernel, { id: runId, attempt: 1 });
}
