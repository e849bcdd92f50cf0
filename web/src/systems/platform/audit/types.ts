export interface AuditEvent {
  seq: number;
  ts: string;
  actorId: number | null;
  actorUsername: string;
  actorRole: string;
  scope?: string;
  districtCode?: string | null;
  kind: 'write' | 'read' | 'auth' | 'admin';
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
  ip: string | null;
  requestId: string | null;
  prevHash?: string;
  hash?: string;
  /** Chinese labels the server adds (the codes above stay for filters and the technical detail). */
  actorName?: string;
  kindLabel?: string;
  actionLabel?: string;
  objectLabel?: string;
}

export interface Checkpoint {
  id: number;
  fromSeq: number;
  toSeq: number;
  merkleRoot?: string;
  headHash?: string;
  keyId?: string;
  createdAt: string;
}

/** POST /audit/verify */
export interface Verification {
  ok: boolean;
  checkedEvents: number;
  checkedCheckpoints: number;
  firstBroken: { seq: number; reason: string } | null;
}

/** The stored result of the last verification (GET /audit/status). */
export interface StoredVerification {
  id: number;
  ts: string;
  ok: boolean;
  checkedEvents: number;
  checkedCheckpoints: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  by: string;
}

export interface AuditStatus {
  head: { seq: number; hash: string };
  lastCheckpoint: Checkpoint | null;
  /** Events appended since the last checkpoint (not yet under an SM2 signature). */
  uncheckpointed?: number;
  lastVerification: StoredVerification | null;
}

export const KINDS: Record<string, { text: string; color: string }> = {
  write: { text: '写入', color: 'blue' },
  read: { text: '读取 / 调阅', color: 'purple' },
  auth: { text: '登录认证', color: 'cyan' },
  admin: { text: '管理操作', color: 'orange' },
};

/** Readable names of common actions (the code is shown beside, so unknown ones still read). */
export const ACTION_NAMES: Record<string, string> = {
  'resident.reveal': '调阅居民完整信息',
  'resident.view': '查看居民信息',
  'resident.search': '查询居民',
  'resident.create': '新建居民',
  'resident.update': '修改居民信息',
  'resident.assign-care': '分配家庭医生',
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.logout': '退出登录',
  'auth.totp_enroll': '生成动态口令密钥',
  'auth.totp_enrolled': '绑定动态口令',
  'auth.totp_verified': '动态口令验证通过',
  'auth.totp_failed': '动态口令错误',
  'auth.password_changed': '修改密码',
  'auth.password_change_failed': '修改密码失败',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.disable': '停用用户',
  'user.enable': '启用用户',
  'user.reset_2fa': '重置动态口令',
  'user.reset_password': '重置密码',
  'api_client.create': '新建合作系统',
  'institution.create': '新建医疗机构',
  'institution.update': '修改医疗机构',
  'practitioner.create': '新建医务人员',
  'practitioner.update': '修改医务人员',
  'team.create': '新建家庭医生团队',
  'audit.verify': '校验审计链',
  'audit.checkpoint': '生成审计检查点',
  'job.run': '手动运行任务',
  'job.schedule.update': '修改任务调度',
};
