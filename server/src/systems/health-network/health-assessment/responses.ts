import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable } from '../../../platform/http/schema.ts';

/** The responses of the health-assessment routes (declared once: server serialisation, OpenAPI, console types). */

const Count = Type.Integer({ minimum: 0 });
const NullStr = nullable(Type.String());
const UploadChannel = enumOf(['ftp', 'web'] as const);
const ReportType = enumOf(['HA', 'PE'] as const);
const FileStatus = enumOf(['archived', 'rejected'] as const);

export const Batch = Type.Object({
  id: Id,
  channel: UploadChannel,
  channelName: Type.String(),
  institutionId: Id,
  institutionName: NullStr,
  uploadedBy: Type.String(),
  startedAt: Instant,
  filesTotal: Count,
  filesArchived: Count,
  filesRejected: Count,
});
export type Batch = Static<typeof Batch>;
export const BatchPage = Type.Object({ total: Count, items: Type.Array(Batch) });

export const HaFile = Type.Object({
  id: Id,
  batchId: Id,
  channel: UploadChannel,
  channelName: Type.String(),
  fileName: Type.String(),
  status: FileStatus,
  error: NullStr,
  personId: nullable(Id),
  personName: NullStr,
  idNumberMasked: NullStr,
  contractId: nullable(Id),
  reportType: nullable(ReportType),
  reportTypeName: NullStr,
  reportDate: nullable(DateText),
  ageAtReport: nullable(Type.Integer()),
  signedBy: nullable(Id),
  signedByName: NullStr,
  signedAt: nullable(Instant),
  sizeBytes: Count,
  sm3: Type.String(),
  institutionId: Id,
  institutionName: NullStr,
  uploadedBy: Type.String(),
  uploadedAt: Instant,
});
export type HaFile = Static<typeof HaFile>;
export const HaFilePage = Type.Object({ total: Count, items: Type.Array(HaFile) });

/** One console upload: archived or rejected with its reason (a rejection is a recorded result). */
export const UploadResult = Type.Object({
  fileId: Id,
  fileName: Type.String(),
  status: FileStatus,
  error: NullStr,
  personId: nullable(Id),
  reportType: nullable(ReportType),
  batchId: Id,
});
export type UploadResult = Static<typeof UploadResult>;

export const StatCell = Type.Object({
  channel: UploadChannel,
  reportType: ReportType,
  reportTypeName: Type.String(),
  archived: Count,
  rejected: Count,
  residents: Count,
  elderlyArchived: Count,
  elderlyResidents: Count,
});
export type StatCell = Static<typeof StatCell>;
export const UploadStats = Type.Object({
  from: DateText,
  to: DateText,
  cells: Type.Array(StatCell),
  /** Files rejected before their type could be read, per path. */
  unreadable: Type.Object({ ftp: Count, web: Count }),
});
export type UploadStats = Static<typeof UploadStats>;

export const FtpAccount = Type.Object({
  id: Id,
  institutionId: Id,
  institutionName: NullStr,
  username: Type.String(),
  active: Type.Boolean(),
  issuedBy: NullStr,
  issuedAt: Instant,
  lastLoginAt: nullable(Instant),
});
export type FtpAccount = Static<typeof FtpAccount>;

/** Where the centres upload: the FTP server's public address (port null when it does not run) and the naming rule. */
const Endpoint = { host: Type.String(), port: nullable(Type.Integer()), namingRule: Type.String() };
export const FtpAccounts = Type.Object({ items: Type.Array(FtpAccount), ...Endpoint });
export type FtpAccounts = Static<typeof FtpAccounts>;
/** An issued (or reset) account: the password in clear, shown once. */
export const FtpAccountIssued = Type.Composite([FtpAccount, Type.Object({ password: Type.String(), ...Endpoint })]);
export type FtpAccountIssued = Static<typeof FtpAccountIssued>;
