import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { enqueueJob } from '../../../platform/jobs/enqueue.ts';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { type TestApp, testApp } from '../../../test/harness.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

test('the consistency check finds planted contradictions and reports them in the run log', async () => {
  await t.kernel.db.exec(`
    insert into institution (id, code, name, kind, level, district_code) values
      (7001, 'C-1', '停用中心', 'chc', 1, '310101'), (7002, 'C-2', '正常中心', 'chc', 1, '310104');
    update institution set active = false where id = 7001;
    insert into practitioner (id, institution_id, name, sex, district_code) values (7101, 7001, '甲', 'F', '310101'), (7102, 7002, '乙', 'M', '310101');
    insert into team (id, institution_id, name, district_code) values (7201, 7002, '无队长团队', '310104');
  `);
  const runId = await t.kernel.db.transaction((tx) => enqueueJob(tx, 'master-data.consistency-check', {}, 'manual', 'test'));
  await runPendingJobs(t.kernel, { untilIdle: true });
  const run = (
    await t.kernel.db.query<{ status: string; result: { problems: number; checks: Record<string, number> } }>(
      'select status, result from job_run where id = $1',
      [runId],
    )
  )[0]!;
  assert.equal(run.status, 'succeeded');
  assert.equal(run.result.checks['在岗医务人员所属机构已停用'], 1);
  assert.equal(run.result.checks['家庭医生团队没有团队长'], 1);
  assert.equal(run.result.checks['医务人员的区与所属机构不一致'], 1);
  assert.equal(run.result.checks['社区卫生服务中心未指定街镇'], 2);
  const logs = await t.kernel.db.query<{ message: string }>('select message from job_log where run_id = $1 order by id', [runId]);
  assert.ok(logs.some((l) => l.message.includes('共发现 5 条')));
});
