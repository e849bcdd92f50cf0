import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ftp from 'ftp-srv';
import { appendAudit } from '../../../platform/audit/append.ts';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { CITY_SCOPE, type Scope, scopeSettings } from '../../../platform/scope/scope.ts';
import { checkFtpLogin } from './ftp-accounts.ts';
import { type IngestResult, ingestFile, openBatch } from './ingest.ts';
import { MAX_FILE_BYTES } from './naming.ts';
import type { AccountRow, BatchRow } from './repository.ts';

/**
 * The FTP server for batch uploads (健康评估报告 批量上传). A community centre logs in with the account the
 * platform issued; its session is jailed to its own folder (<dataDir>/ftp/<username>). One session is
 * one batch. Each stored file is checked and recorded at once (ingest.ts): a valid one is archived and
 * the transfer ends 226; an invalid one is recorded as rejected and the transfer ends 550 with the
 * reason. The file is kept in the folder under archived/ or rejected/ (with <name>.error.txt) so the
 * centre sees the outcome by LIST too. Deleting and renaming are not offered.
 */
export interface FtpOptions {
  port: number;
  host?: string;
  /** Where account folders live. */
  rootDir: string;
  pasvMin?: number;
  pasvMax?: number;
}

export interface RunningFtp {
  port: number;
  close(): Promise<void>;
}

const IDLE_MS = 10 * 60_000;
const BLOCKED = ['DELE', 'RMD', 'RNFR', 'RNTO', 'SITE', 'APPE', 'STOU', 'MKD'];

class RejectedUpload extends Error {}

/** Runs `fn` in one transaction with the centre's own scope; audit events go to the chain before commit. */
async function asCentre<T>(kernel: Kernel, scope: Scope, actor: string, ip: string | null, fn: (tx: Parameters<Parameters<Kernel['db']['transaction']>[0]>[0], audit: AuditBuffer) => Promise<T>): Promise<T> {
  return kernel.db.transaction(
    async (tx) => {
      const audit = new AuditBuffer();
      const out = await fn(tx, audit);
      const events = audit.events.map((e) => ({ ...e, actor: e.actor ?? { userId: null, username: actor, role: 'ftp' } }));
      await appendAudit(tx, { ...SYSTEM_PRINCIPAL, scope }, events, { ip, requestId: null });
      return out;
    },
    { scope: scopeSettings(scope, null) },
  );
}

export async function startFtpServer(kernel: Kernel, o: FtpOptions): Promise<RunningFtp> {
  const host = o.host ?? '127.0.0.1';
  const signals = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;
  const had = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const server = new ftp.FtpSrv({
    url: `ftp://${host}:${o.port}`,
    pasv_url: host,
    pasv_min: o.pasvMin ?? 30_000,
    pasv_max: o.pasvMax ?? 30_100,
    anonymous: false,
    blacklist: BLOCKED,
    greeting: ['weijian 健康评估报告上传', '文件命名：<身份证号>_<HA|PE>_<YYYYMMDD>_<签名医生编号>.pdf'],
    log: silentLog,
    // ftp-srv reuses this as the delay of an uncleared timer on every disconnect: keep it short, and
    // time idle control connections out ourselves (below).
    timeout: 0,
  });
  // ftp-srv exits the process on these signals; the platform's own shutdown decides that.
  for (const s of signals) for (const l of process.listeners(s)) if (!had.get(s)?.has(l)) process.removeListener(s, l);
  (server as unknown as import('node:events').EventEmitter).on('connect', ({ connection }: { connection: { commandSocket?: import('node:net').Socket } }) => {
    const socket = connection.commandSocket;
    socket?.setTimeout(IDLE_MS, () => socket.destroy());
  });

  server.on('login', ({ connection, username, password }, resolve, reject) => {
    const ip = (connection as unknown as { ip?: string }).ip ?? null;
    (async () => {
      const account = await kernel.db.transaction((tx) => checkFtpLogin(tx, username, password), { scope: scopeSettings(CITY_SCOPE, null) });
      if (!account) {
        await asCentre(kernel, CITY_SCOPE, `ftp:${username.slice(0, 40)}`, ip, async (_tx, audit) => {
          audit.add({ kind: 'auth', action: 'health-assessment.ftp.login-failed', objectType: 'ha_ftp_account', note: 'FTP 登录失败' });
        });
        return reject(new Error('用户名或密码错误，或账号已停用'));
      }
      const root = join(o.rootDir, account.username);
      await mkdir(join(root, 'archived'), { recursive: true });
      await mkdir(join(root, 'rejected'), { recursive: true });
      resolve({ fs: new CentreFs(connection, { root, cwd: '/' }, kernel, account, ip) as unknown as InstanceType<typeof ftp.FileSystem> });
    })().catch((e: Error) => reject(e));
  });

  await server.listen();
  const address = (server as unknown as { server: import('node:net').Server }).server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    port,
    close: async () => {
      await server.close();
    },
  };
}

/** The centre's jailed folder (ftp-srv's file system resolves every path below `root`), with uploads ingested. */
class CentreFs extends ftp.FileSystem {
  private batch: BatchRow | null = null;
  private readonly scope: Scope;

  constructor(
    connection: ConstructorParameters<typeof ftp.FileSystem>[0],
    opts: { root: string; cwd: string },
    private readonly kernel: Kernel,
    private readonly account: AccountRow,
    private readonly ip: string | null,
  ) {
    super(connection, opts);
    this.scope = { level: 'institution', districtCode: account.district_code, institutionId: account.institution_id };
  }

  override write(fileName: string): { stream: Writable; clientPath: string } {
    const chunks: Buffer[] = [];
    let size = 0;
    const name = fileName.split(/[\\/]/).pop() ?? fileName;
    const stream = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        size += chunk.length;
        // Past the limit only the size is kept: the file is rejected as too large.
        if (size <= MAX_FILE_BYTES + 1) chunks.push(chunk);
        cb();
      },
      final: (cb) => {
        this.store(name, Buffer.concat(chunks)).then(
          (r) => cb(r.status === 'archived' ? null : new RejectedUpload(`文件未通过校验：${r.error}`)),
          (e: Error) => cb(e),
        );
      },
    });
    return { stream, clientPath: `/${name}` };
  }

  private async store(name: string, content: Buffer): Promise<IngestResult> {
    const actor = `ftp:${this.account.username}`;
    const result = await asCentre(this.kernel, this.scope, actor, this.ip, async (tx, audit) => {
      this.batch ??= await openBatch({ tx }, { channel: 'ftp', institutionId: this.account.institution_id, accountId: this.account.id, uploadedBy: actor });
      return ingestFile({ tx, kernel: this.kernel, audit, scope: this.scope, actor: { userId: null, username: actor, role: 'ftp' } }, this.batch, { fileName: name, content });
    });
    const dir = join(this.root, result.status);
    await writeFile(join(dir, name), content);
    if (result.error) await writeFile(join(dir, `${name}.error.txt`), `${result.error}\n`);
    return result;
  }
}

// ftp-srv logs through a bunyan-like object; the platform's own log records what matters (audit, results).
const noop = () => {};
const silentLog = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child: () => silentLog };

/** Starts the server from the environment (WEIJIAN_FTP_PORT; off when unset) once per process. */
export async function startFtpFromEnv(kernel: Kernel): Promise<void> {
  const port = Number(process.env.WEIJIAN_FTP_PORT);
  if (!Number.isInteger(port) || port <= 0 || kernel.services.healthAssessmentFtp) return;
  try {
    const running = await startFtpServer(kernel, {
      port,
      host: process.env.WEIJIAN_FTP_HOST ?? '127.0.0.1',
      rootDir: join(kernel.config.dataDir, 'ftp'),
      pasvMin: Number(process.env.WEIJIAN_FTP_PASV_MIN) || undefined,
      pasvMax: Number(process.env.WEIJIAN_FTP_PASV_MAX) || undefined,
    });
    kernel.services.healthAssessmentFtp = running;
    kernel.log.info({ port: running.port }, '健康评估 FTP 上传服务已启动');
  } catch (e) {
    // A busy port (e.g. a CLI command next to the running server) must not stop the process starting.
    kernel.log.warn({ port, err: e instanceof Error ? e.message : String(e) }, '健康评估 FTP 上传服务未能启动');
  }
}
