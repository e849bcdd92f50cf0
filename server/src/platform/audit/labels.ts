import type { Queryable } from '../db/types.ts';
import type { Kernel } from '../kernel.ts';

/**
 * Chinese labels for what the audit log stores as codes (actions, object types, kinds) and the names of
 * the people involved, for the console's audit page. Built from the modules themselves: a permission's
 * title labels the action of the same code, a module's title labels its actions' prefix; a short list
 * covers the kernel's own actions and the verbs modules use.
 */

export const KIND_LABELS: Record<string, string> = { write: '写入', read: '读取 / 调阅', auth: '登录认证', admin: '管理操作' };

const KERNEL_ACTIONS: Record<string, string> = {
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
  'audit.verify': '校验审计链',
  'audit.checkpoint': '生成审计检查点',
  'job.run': '手动运行任务',
  'job.schedule.update': '修改任务调度',
  'resident.reveal': '调阅居民完整信息',
  'resident.view': '查看居民信息',
  'resident.search': '查询居民',
  'resident.create': '新建居民',
  'resident.update': '修改居民信息',
  'resident.assign-care': '分配家庭医生',
  'institution.create': '新建医疗机构',
  'institution.update': '修改医疗机构',
  'practitioner.create': '新建医务人员',
  'practitioner.update': '修改医务人员',
  'team.create': '新建家庭医生团队',
  'team.update': '修改家庭医生团队',
};

/** The last word of an action code, in Chinese ("fd-services.inpatient.list" → 查询列表). */
const VERBS: Record<string, string> = {
  list: '查询列表',
  search: '查询',
  read: '查看',
  view: '查看',
  get: '查看',
  detail: '查看详情',
  report: '查看报表',
  export: '导出',
  download: '下载',
  pdf: '下载 PDF',
  create: '新建',
  add: '新增',
  update: '修改',
  patch: '修改',
  edit: '修改',
  delete: '删除',
  remove: '删除',
  import: '导入',
  sync: '同步',
  run: '运行',
  approve: '审核通过',
  reject: '退回',
  submit: '提交',
  sign: '签约',
  renew: '续约',
  terminate: '解约',
  transfer: '转签',
  merge: '合并',
  reveal: '调阅完整信息',
  assign: '分配',
  verify: '核实',
  confirm: '确认',
  cancel: '撤销',
  close: '关闭',
  dispose: '处置',
  review: '审核',
  generate: '生成',
  upload: '上传',
  send: '发送',
  'abnormal-signing': '异常签约报表',
  'duplicate-cards': '重复建档',
  'renewal-history': '续约记录',
  signature: '签名',
  seal: '公章',
};

/** Object types (table names) the kernel and master data use; module tables fall back to "<module>记录". */
const OBJECT_TYPES: Record<string, string> = {
  person: '居民',
  resident: '居民',
  user: '用户',
  app_user: '用户',
  practitioner: '医务人员',
  institution: '医疗机构',
  team: '家庭医生团队',
  region: '行政区划',
  report: '报表',
  request: '请求',
  api_client: '合作系统',
  job: '任务',
  job_run: '任务运行',
  job_schedule: '任务调度',
  audit: '审计链',
  audit_event: '审计事件',
  fd_contract: '家庭医生签约',
  session: '会话',
};

export interface Labels {
  action(code: string): string;
  objectType(code: string, action?: string): string;
}

/** The labeller for the running kernel's modules (cheap: built from in-memory declarations). */
export function labelsFor(kernel: Pick<Kernel, 'modules'>): Labels {
  const permissionTitles = new Map<string, string>();
  const moduleTitles = new Map<string, string>();
  for (const m of kernel.modules) {
    moduleTitles.set(m.name.split('.').pop() ?? m.name, m.title);
    for (const p of m.permissions ?? []) {
      permissionTitles.set(p.code, p.title);
      const prefix = p.code.split('.')[0];
      if (prefix && !moduleTitles.has(prefix)) moduleTitles.set(prefix, m.title);
    }
  }
  const moduleOf = (action: string) => moduleTitles.get(action.split('.')[0] ?? '');
  return {
    action(code) {
      const known = KERNEL_ACTIONS[code] ?? permissionTitles.get(code);
      if (known) return known;
      const parts = code.split('.');
      const mod = moduleOf(code);
      const verb = VERBS[parts[parts.length - 1] ?? ''] ?? VERBS[parts[1] ?? ''];
      if (mod && verb) return `${mod}：${verb}`;
      if (mod) return `${mod}：操作`;
      // An HTTP fallback action ("POST /x/:id"): the method says enough.
      const http = /^(POST|PUT|PATCH|DELETE) /.exec(code)?.[1];
      if (http) return { POST: '提交', PUT: '更新', PATCH: '修改', DELETE: '删除' }[http] ?? '操作';
      return '其他操作';
    },
    objectType(code, action) {
      const known = OBJECT_TYPES[code];
      if (known) return known;
      const mod = action ? moduleOf(action) : undefined;
      return mod ? `${mod}记录` : '记录';
    },
  };
}

export interface LabelOption {
  value: string;
  label: string;
}

/**
 * The choices of the console's audit filters (GET /audit/labels): kinds, the named actions and the object
 * types, each code with its label; object types that share a label are offered once (the first code).
 */
export function labelCatalog(): { kinds: LabelOption[]; actions: LabelOption[]; objectTypes: LabelOption[] } {
  const options = (m: Record<string, string>) => Object.entries(m).map(([value, label]) => ({ value, label }));
  const objectTypes = options(OBJECT_TYPES).filter((o, i, all) => all.findIndex((p) => p.label === o.label) === i);
  return { kinds: options(KIND_LABELS), actions: options(KERNEL_ACTIONS), objectTypes };
}

/** Display names of users by id (row-level security hides users outside the reader's scope: the username stays). */
export async function userNames(tx: Queryable, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)].filter((id) => Number.isSafeInteger(id));
  if (unique.length === 0) return new Map();
  const rows = await tx.query<{ id: number; display_name: string }>('select id::int as id, display_name from app_user where id = any($1::bigint[])', [unique]);
  return new Map(rows.map((r) => [Number(r.id), r.display_name]));
}

export interface LabelledFields {
  actorName: string;
  kindLabel: string;
  actionLabel: string;
  objectLabel: string;
}

/** Adds the readable fields to listed events; the codes stay for filters and the detail panel. */
export async function labelEvents<
  E extends { actorId: number | null; actorUsername: string; actorRole: string; kind: string; action: string; objectType: string; objectId: string | null },
>(tx: Queryable, kernel: Pick<Kernel, 'modules'>, items: E[]): Promise<(E & LabelledFields)[]> {
  const labels = labelsFor(kernel);
  const userObjects = items
    .filter((e) => (e.objectType === 'user' || e.objectType === 'app_user') && e.objectId && /^\d+$/.test(e.objectId))
    .map((e) => Number(e.objectId));
  const names = await userNames(tx, [...items.map((e) => e.actorId).filter((id): id is number => id != null), ...userObjects]);
  return items.map((e) => {
    const type = labels.objectType(e.objectType, e.action);
    const userName = (e.objectType === 'user' || e.objectType === 'app_user') && e.objectId ? names.get(Number(e.objectId)) : undefined;
    const actorName =
      e.actorId != null ? (names.get(e.actorId) ?? e.actorUsername) : e.actorRole === 'system' || e.actorUsername === 'system' ? '系统' : e.actorUsername;
    return {
      ...e,
      actorName,
      kindLabel: KIND_LABELS[e.kind] ?? e.kind,
      actionLabel: labels.action(e.action),
      objectLabel: userName ? `${type}：${userName}` : type,
    };
  });
}
