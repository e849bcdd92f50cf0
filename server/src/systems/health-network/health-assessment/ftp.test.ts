import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { TestSession } from '../../../test/harness.ts';
import { addDays, shanghaiToday } from '../family-doctor/rules.ts';
import { type RunningFtp, startFtpServer } from './ftp-server.ts';
import { FtpClient } from './test-ftp-client.ts';
import { type Ha, haApp, IDS, PDF, yyyymmdd } from './test-fixture.ts';

let ha: Ha;
let ftp: RunningFtp;
let root: string;
let adminA: TestSession;
let account: { username: string; password: string };
const day = yyyymmdd(addDays(shanghaiToday(), -1));

before(async () => {
  ha = await haApp();
  root = await mkdtemp(join(tmpdir(), 'wj-ftp-'));
  const pasvMin = 40_000 + Math.floor(Math.random() * 20_000);
  ftp = await startFtpServer(ha.t.kernel, { port: 0, rootDir: root, pasvMin, pasvMax: pasvMin + 200 });
  adminA = await ha.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
  const r = await ha.t.call(adminA, { method: 'POST', url: '/api/v1/health-assessment/ftp-accounts', payload: { institutionId: IDS.chcA } });
  assert.equal(r.statusCode, 201, r.body);
  account = r.json();
});
after(async () => {
  await ftp.close();
  await ha.close();
  await rm(root, { recursive: true, force: true });
});

test('a wrong password or a disabled account cannot log in', async () => {
  const { client, greeting } = await FtpClient.connect(ftp.port);
  assert.equal(greeting.code, 220);
  const r = await client.login(account.username, 'Wrong#password1');
  assert.equal(r.code, 530);
  await client.quit();
});

test('a batch over FTP: valid files archived (226), invalid ones refused (550) with the reason recorded', async () => {
  const p = await ha.person('1950-06-07');
  const c = (await ha.sign(p.id)).json();
  const young = await ha.person('1992-02-03');
  const { client } = await FtpClient.connect(ftp.port);
  assert.equal((await client.login(account.username, account.password)).code, 230);

  const good = await client.stor(`${p.idNumber}_HA_${day}_${IDS.docA1}.pdf`, PDF);
  assert.equal(good.code, 226, good.text);
  const pe = await client.stor(`${p.idNumber}_PE_${day}_${IDS.docA1}.pdf`, PDF);
  assert.equal(pe.code, 226, pe.text);
  const bad = await client.stor(`${young.idNumber}_PE_${day}_${IDS.docA1}.pdf`, PDF);
  assert.equal(bad.code, 550);
  assert.match(bad.text, /65 岁及以上/);
  const badName = await client.stor('report.pdf', PDF);
  assert.equal(badName.code, 550);
  assert.match(badName.text, /命名规范/);

  // Jailed: climbing out of the folder stays at its root, which holds only the centre's own results.
  assert.equal((await client.send('CWD ../../..')).code, 250);
  assert.match((await client.send('PWD')).text, /"\/"/);
  const { listing } = await client.list('/');
  assert.match(listing, /archived/);
  assert.match(listing, /rejected/);
  const archived = await client.list('/archived');
  assert.match(archived.listing, new RegExp(`${p.idNumber}_HA_${day}`));
  assert.equal((await client.send('DELE archived/x.pdf')).code, 502);
  await client.quit();

  assert.deepEqual((await readdir(root)).sort(), [account.username]);
  const [batch] = await ha.t.kernel.db.query<{ channel: string; files_total: number; files_archived: number; files_rejected: number; uploaded_by: string }>(
    `select channel, files_total, files_archived, files_rejected, uploaded_by from ha_batch where channel = 'ftp' order by id desc limit 1`,
  );
  assert.deepEqual(batch, { channel: 'ftp', files_total: 4, files_archived: 2, files_rejected: 2, uploaded_by: `ftp:${account.username}` });
  const files = (await ha.haGet('/files?channel=ftp&pageSize=10', adminA)).json().items as {
    status: string;
    error: string | null;
    contractId: number | null;
    signedByName: string | null;
  }[];
  assert.equal(files.filter((f) => f.status === 'archived' && f.contractId === c.id && f.signedByName === '王医生').length, 2);
  assert.equal(files.filter((f) => f.status === 'rejected' && f.error).length, 2);
  const stats = (await ha.haGet('/stats', adminA)).json().cells as {
    channel: string;
    reportType: string;
    archived: number;
    elderlyArchived: number;
    rejected: number;
  }[];
  const ftpPe = stats.find((s) => s.channel === 'ftp' && s.reportType === 'PE');
  assert.deepEqual([ftpPe?.archived, ftpPe?.elderlyArchived, ftpPe?.rejected], [1, 1, 1]);
  const audit = await ha.t.kernel.db.query<{ actor_username: string; action: string }>(
    `select actor_username, action from audit_event where action like 'health-assessment.%' and actor_username like 'ftp:%' order by seq`,
  );
  assert.equal(audit.filter((a) => a.action === 'health-assessment.archive').length, 2);

  // Disabled: the account no longer logs in.
  const { id } = (await ha.t.kernel.db.query<{ id: number }>('select id from ha_ftp_account where username = $1', [account.username]))[0]!;
  assert.equal((await ha.t.call(adminA, { method: 'POST', url: `/api/v1/health-assessment/ftp-accounts/${id}/disable` })).statusCode, 200);
  const again = await FtpClient.connect(ftp.port);
  assert.equal((await again.client.login(account.username, account.password)).code, 530);
  await again.client.quit();
});
