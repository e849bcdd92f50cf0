import { defineAdapter } from '../../../platform/integration/adapter.ts';
import { enqueueMessage } from '../../../platform/integration/outbox.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { maskName } from '../../../platform/util/resident-id.ts';
import type { TaskRow } from './task-repository.ts';

/**
 * 社区云 interface: every verification task, and every change of one, goes to 社区云 (where street
 * workers also see their work) through the outbox. The message carries the task's version: delivery is
 * at least once and unordered, and 社区云 keeps the newest version (the simulator does the same).
 */
export const COMMUNITY_CLOUD = 'community-cloud';
export const TASK_TOPIC = 'birth-verification.task';

export const STATUS_TITLE: Record<TaskRow['status'], string> = { pending: '待核实', assisting: '协查中', approved: '核实通过', rejected: '核实不通过' };

export const taskNo = (id: number) => `BV${String(id).padStart(8, '0')}`;

/** Declared by the birth-verification module. */
export const communityCloud = defineAdapter({
  system: COMMUNITY_CLOUD,
  request: (m) => ({ method: 'PUT', path: `/api/v1/birth-tasks/${encodeURIComponent(String(m.payload.taskNo))}`, body: m.payload }),
  retry: { maxAttempts: 10, baseDelayMs: 5_000, maxDelayMs: 600_000 },
});

export async function pushTask(tx: Queryable, t: TaskRow): Promise<void> {
  await enqueueMessage(tx, {
    system: COMMUNITY_CLOUD,
    topic: TASK_TOPIC,
    key: `birth-task:${t.id}:v${t.version}`,
    districtCode: t.district_code,
    payload: {
      taskNo: taskNo(t.id),
      version: t.version,
      verifyRound: t.verify_round,
      status: t.status,
      statusTitle: STATUS_TITLE[t.status],
      streetCode: t.street_code,
      districtCode: t.district_code,
      certificateNo: t.certificate_no,
      childNameMasked: maskName(t.child_name),
      birthDate: t.birth_date,
      motherNameMasked: maskName(t.mother_name),
      motherIdMasked: t.mother_id_mask,
      findings: t.precheck.map((f) => ({ code: f.code, severity: f.severity })),
      decision: t.decision,
    },
  });
}
