import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
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
 *
 * Explicit TLS (FTPS, RFC 4217): with a certificate configured the client sends AUTH TLS, then logs in and
 * transfers over TLS (control and data). While TLS is required, USER/PASS on a plaintext connection are
 * refused with 530 before any password crosses the network; production refuses to start without TLS.
 */
export interface FtpTls {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface FtpOptions {
  port: number;
  host?: string;
  /** Where account folders live. */
  rootDir: string;
  pasvMin?: number;
  pasvMax?: number;
  /** Certificate and key (PEM) for AUTH TLS; absent: plaintext only (development). */
  tls?: FtpTls;
  /** Refuse logins before AUTH TLS (default: whenever tls is set). */
  requireTls?: boolean;
}

export interface RunningFtp {
  port: number;
  close(): Promise<void>;
}

const IDLE_MS = 10 * 60_000;
const TLS_FIRST = '请先发送 AUTH TLS 建立加密连接（FTPS）后再登录，本服务不接受明文登录';
const BLOCKED = ['DELE', 'RMD', 'RNFR', 'RNTO', 'SITE', 'APPE', 'STOU', 'MKD'];

class RejectedUpload extends Error {}

/** Runs `fn` in one transaction with the centre's own scope; audit events go to the chain before commit. */
async function asCentre<T>(
  kernel: Kernel,
  scope: Scope,
  actor: string,
  ip: string | null,
  fn: (tx: Parameters<Parameters<Kernel['db']['transaction']>[0]>[0], audit: AuditBuffer) => Promise<T>,
): Promise<T> {
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
  const requireTls = o.requireTls ?? Boolean(o.tls);
  if (requireTls && !o.tls) throw new Error('要求 FTPS 但未配置 TLS 证书');
  const tlsOptions = o.tls ? { cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2' as const } : null;
  const secureContext = tlsOptions ? createSecureContext(tlsOptions) : null;
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
    // Explicit TLS on the ordinary port (ftp:// + AUTH TLS), not implicit FTPS on its own port.
    tls: tlsOptions ?? false,
  } as ConstructorParameters<typeof ftp.FtpSrv>[0]);
  // ftp-srv exits the process on these signals; the platform's own shutdown decides that.
  for (const s of signals) for (const l of process.listeners(s)) if (!had.get(s)?.has(l)) process.removeListener(s, l);
  (server as unknown as import('node:events').EventEmitter).on('connect', ({ connection }: { connection: FtpConnection }) => {
    const socket = connection.commandSocket;
    socket?.setTimeout(IDLE_MS, () => socket.destroy());
    hookCommands(connection, { requireTls, secureContext });
  });

  server.on('login', ({ connection, username, password }, resolve, reject) => {
    const ip = (connection as unknown as { ip?: string }).ip ?? null;
    // Belt and braces: the command hook above already answered USER/PASS without TLS.
    if (requireTls && !(connection as unknown as FtpConnection).secure) return reject(new Error(TLS_FIRST));
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

interface FtpCommand {
  directive: string;
  arg: string | null;
}

interface FtpConnection {
  commandSocket?: Socket;
  secure: boolean;
  reply(code: number, message?: string): Promise<unknown>;
  commands: { handle(command: string | FtpCommand): unknown; parse(message: string): FtpCommand };
}

/**
 * Two changes to ftp-srv's command handling. AUTH TLS: ftp-srv wraps the socket in TLS only once its 234
 * reply is flushed, and a client's ClientHello read before that is parsed as a command and answered in
 * plaintext (curl: "wrong version number"); here the socket is wrapped in the same tick as the 234 is
 * written. And while TLS is required, USER and PASS without it are answered 530 and go no further.
 */
function hookCommands(connection: FtpConnection, o: { requireTls: boolean; secureContext: SecureContext | null }): void {
  const commands = connection.commands;
  const handle = commands.handle.bind(commands);
  commands.handle = (command) => {
    const c = typeof command === 'string' ? commands.parse(command) : command;
    if (c.directive === 'AUTH' && o.secureContext && !connection.secure && String(c.arg ?? '').toUpperCase() === 'TLS') {
      startTls(connection, o.secureContext);
      return undefined;
    }
    if ((c.directive === 'USER' || c.directive === 'PASS') && o.requireTls && !connection.secure) return connection.reply(530, TLS_FIRST);
    return handle(c);
  };
}

function startTls(connection: FtpConnection, secureContext: SecureContext): void {
  const plain = connection.commandSocket as Socket;
  plain.write('234 AUTH TLS successful\r\n');
  const secure = new TLSSocket(plain, { isServer: true, secureContext });
  // ftp-srv listens on the plain socket: forward the secure socket's events to it (as ftp-srv itself does).
  for (const event of ['data', 'timeout', 'end', 'close', 'drain', 'error']) secure.on(event, (...args: unknown[]) => plain.emit(event, ...args));
  connection.commandSocket = secure;
  connection.secure = true;
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
      return ingestFile({ tx, kernel: this.kernel, audit, scope: this.scope, actor: { userId: null, username: actor, role: 'ftp' } }, this.batch, {
        fileName: name,
        content,
      });
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

/**
 * The server's options from the environment: WEIJIAN_FTP_PORT (off when unset), WEIJIAN_FTP_HOST,
 * WEIJIAN_FTP_PASV_MIN/MAX, and WEIJIAN_FTP_TLS_CERT / WEIJIAN_FTP_TLS_KEY (PEM file paths) for FTPS. With a
 * certificate plaintext logins are refused; in production a missing certificate is an error (no plaintext
 * server). Returns null when the server is off.
 */
export function ftpOptionsFromEnv(env: NodeJS.ProcessEnv, config: Pick<Kernel['config'], 'env' | 'dataDir'>): FtpOptions | null {
  const port = Number(env.WEIJIAN_FTP_PORT);
  if (!Number.isInteger(port) || port <= 0) return null;
  const certPath = env.WEIJIAN_FTP_TLS_CERT?.trim();
  const keyPath = env.WEIJIAN_FTP_TLS_KEY?.trim();
  if (Boolean(certPath) !== Boolean(keyPath)) throw new Error('WEIJIAN_FTP_TLS_CERT 与 WEIJIAN_FTP_TLS_KEY 须同时配置');
  if (!certPath && config.env === 'production') {
    throw new Error('生产环境不允许明文 FTP：请配置 WEIJIAN_FTP_TLS_CERT 与 WEIJIAN_FTP_TLS_KEY（FTPS）');
  }
  return {
    port,
    host: env.WEIJIAN_FTP_HOST ?? '127.0.0.1',
    rootDir: join(config.dataDir, 'ftp'),
    pasvMin: Number(env.WEIJIAN_FTP_PASV_MIN) || undefined,
    pasvMax: Number(env.WEIJIAN_FTP_PASV_MAX) || undefined,
    tls: certPath && keyPath ? { cert: readFileSync(certPath), key: readFileSync(keyPath) } : undefined,
  };
}

/** Starts the server from the environment (see ftpOptionsFromEnv) once per process. */
export async function startFtpFromEnv(kernel: Kernel): Promise<void> {
  if (kernel.services.healthAssessmentFtp) return;
  const port = process.env.WEIJIAN_FTP_PORT;
  let o: FtpOptions | null;
  try {
    o = ftpOptionsFromEnv(process.env, kernel.config);
  } catch (e) {
    // Refused (e.g. plaintext in production): the rest of the platform still starts, the FTP service does not.
    kernel.log.error({ port, err: e instanceof Error ? e.message : String(e) }, '健康评估 FTP 上传服务拒绝启动');
    return;
  }
  if (!o) return;
  try {
    const running = await startFtpServer(kernel, o);
    kernel.services.healthAssessmentFtp = running;
    if (o.tls) kernel.log.info({ port: running.port }, '健康评估 FTP 上传服务已启动（FTPS，须先 AUTH TLS）');
    else kernel.log.warn({ port: running.port }, '健康评估 FTP 上传服务以明文启动（仅限开发环境；生产须配置 WEIJIAN_FTP_TLS_CERT/KEY）');
  } catch (e) {
    // A busy port (e.g. a CLI command next to the running server) must not stop the process starting.
    kernel.log.warn({ port, err: e instanceof Error ? e.message : String(e) }, '健康评估 FTP 上传服务未能启动');
  }
}
