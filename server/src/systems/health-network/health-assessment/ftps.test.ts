// FTPS (explicit TLS) with a real client: curl --ssl-reqd uploads over AUTH TLS; a plaintext login is refused
// before the password is sent; production will not start a plaintext server.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { TestSession } from '../../../test/harness.ts';
import { addDays, shanghaiToday } from '../family-doctor/rules.ts';
import { ftpOptionsFromEnv, type RunningFtp, startFtpServer } from './ftp-server.ts';
import { FtpClient } from './test-ftp-client.ts';
import { type Ha, haApp, IDS, PDF, yyyymmdd } from './test-fixture.ts';

const run = promisify(execFile);
const has = (bin: string) => {
  try {
    execFileSync(bin, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    try {
      execFileSync(bin, ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }
};
const tools = has('openssl') && has('curl');

let ha: Ha;
let ftp: RunningFtp;
let root: string;
let account: { username: string; password: string };
let cert: { certPath: string; keyPath: string };
const day = yyyymmdd(addDays(shanghaiToday(), -1));

before(async () => {
  if (!tools) return;
  root = await mkdtemp(join(tmpdir(), 'wj-ftps-'));
  // A self-signed certificate made now (nothing secret is kept in the repository).
  cert = { certPath: join(root, 'ftp.crt'), keyPath: join(root, 'ftp.key') };
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    cert.keyPath,
    '-out',
    cert.certPath,
  ]);
  ha = await haApp();
  const pasvMin = 40_000 + Math.floor(Math.random() * 20_000);
  const o = ftpOptionsFromEnv(
    { WEIJIAN_FTP_PORT: '2121', WEIJIAN_FTP_TLS_CERT: cert.certPath, WEIJIAN_FTP_TLS_KEY: cert.keyPath },
    { env: 'production', dataDir: join(root, 'data') },
  );
  assert.ok(o?.tls);
  ftp = await startFtpServer(ha.t.kernel, { ...o, port: 0, rootDir: join(root, 'ftp'), pasvMin, pasvMax: pasvMin + 200 });
  const admin: TestSession = await ha.t.loginAs('community_admin', { level: 'institution', districtCode: '310104', institutionId: IDS.chcA });
  const r = await ha.t.call(admin, { method: 'POST', url: '/api/v1/health-assessment/ftp-accounts', payload: { institutionId: IDS.chcA } });
  assert.equal(r.statusCode, 201, r.body);
  account = r.json();
});
after(async () => {
  if (!tools) return;
  await ftp.close();
  await ha.close();
  await rm(root, { recursive: true, force: true });
});

const url = (path = '/') => `ftp://${encodeURIComponent(account.username)}:${encodeURIComponent(account.password)}@127.0.0.1:${ftp.port}${path}`;

test('curl --ssl-reqd uploads over explicit TLS: the report is archived', { skip: !tools && 'openssl or curl missing' }, async () => {
  const p = await ha.person('1950-06-07');
  await ha.sign(p.id);
  const name = `${p.idNumber}_HA_${day}_${IDS.docA1}.pdf`;
  const file = join(root, name);
  await writeFile(file, PDF);
  const up = await run('curl', ['--silent', '--show-error', '--ssl-reqd', '--insecure', '--max-time', '60', '-T', file, url(`/${name}`)]);
  assert.equal(up.stderr, '');
  assert.deepEqual(await readdir(join(root, 'ftp', account.username, 'archived')), [name]);
  assert.deepEqual(await readFile(join(root, 'ftp', account.username, 'archived', name)), PDF);
  // The listing comes back over the TLS data channel too.
  const ls = await run('curl', ['--silent', '--show-error', '--ssl-reqd', '--insecure', '--max-time', '60', url('/archived/')]);
  assert.match(ls.stdout, new RegExp(name.replace('.', '\\.')));
  const [f] = await ha.t.kernel.db.query<{ status: string; channel: string }>('select status, channel from ha_file where file_name = $1', [name]);
  assert.deepEqual(f, { status: 'archived', channel: 'ftp' });
});

test('a plaintext login is refused with 530 before the password is sent', { skip: !tools && 'openssl or curl missing' }, async () => {
  await assert.rejects(run('curl', ['--silent', '--show-error', '--max-time', '30', url('/')]), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 67, e.stderr); // CURLE_LOGIN_DENIED
    assert.match(e.stderr, /530/);
    return true;
  });
  const { client } = await FtpClient.connect(ftp.port);
  const user = await client.send(`USER ${account.username}`);
  assert.equal(user.code, 530);
  assert.match(user.text, /AUTH TLS/);
  assert.equal((await client.send(`PASS ${account.password}`)).code, 530);
  assert.equal((await client.send('LIST')).code, 530);
  assert.match((await client.send('FEAT')).text, /AUTH TLS/);
  await client.quit();
});

test('production refuses a plaintext FTP server; a half-configured certificate is an error', () => {
  const data = { env: 'production' as const, dataDir: '/tmp/x' };
  assert.throws(() => ftpOptionsFromEnv({ WEIJIAN_FTP_PORT: '2121' }, data), /生产环境不允许明文 FTP/);
  assert.throws(() => ftpOptionsFromEnv({ WEIJIAN_FTP_PORT: '2121', WEIJIAN_FTP_TLS_CERT: '/x.crt' }, { ...data, env: 'development' }), /须同时配置/);
  assert.equal(ftpOptionsFromEnv({}, data), null, 'no port: no server, nothing to refuse');
  assert.equal(ftpOptionsFromEnv({ WEIJIAN_FTP_PORT: '2121' }, { ...data, env: 'development' })?.tls, undefined, 'development may run plaintext');
});
