import { randomBytes } from 'node:crypto';
import type { KeyRing } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/types.ts';
import { notFound } from '../../http/errors.ts';
import type { Scope, ScopeLevel } from '../../scope/scope.ts';
import { invalidInput } from '../invalid.ts';
import type { ApiClient } from '../responses.ts';

export interface ApiClientRow {
  id: number;
  client_id: string;
  name: string;
  permissions: string[];
  scope_level: ScopeLevel;
  scope_district: string | null;
  disabled: boolean;
  created_at: Date | string;
}

const COLUMNS = 'id, client_id, name, permissions, scope_level, scope_district, disabled, created_at';

export function apiClientView(r: ApiClientRow): ApiClient {
  return {
    id: r.id,
    clientId: r.client_id,
    name: r.name,
    permissions: r.permissions,
    scope: { level: r.scope_level, districtCode: r.scope_district },
    disabled: r.disabled,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export interface CreateApiClientInput {
  name: string;
  permissions: string[];
  scope: { level: 'city' | 'district'; districtCode?: string | null };
}

/**
 * Registers a partner system. The secret is returned once and stored SM4-sealed (the kernel needs it to
 * check HMAC-SM3 signatures, so a one-way hash would not do).
 */
export async function createApiClient(
  tx: Tx,
  keys: KeyRing,
  known: ReadonlySet<string>,
  input: CreateApiClientInput,
): Promise<{ row: ApiClientRow; secret: string }> {
  const details = input.permissions.flatMap((p, i) => (known.has(p) ? [] : [{ field: `permissions.${i}`, message: `未知的权限：${p}` }]));
  if (input.scope.level === 'district' && !/^3101\d{2}$/.test(input.scope.districtCode ?? '')) {
    details.push({ field: 'scope.districtCode', message: '区级数据权限需指定区（3101xx）' });
  }
  if (!input.name.trim()) details.push({ field: 'name', message: '不能为空' });
  if (details.length) throw invalidInput('输入有误，请检查标出的字段', details);
  const clientId = `wjp_${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  const [row] = await tx.query<ApiClientRow>(
    `insert into api_client (client_id, name, secret, permissions, scope_level, scope_district)
     values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
    [
      clientId,
      input.name.trim(),
      keys.encryptField(secret),
      [...new Set(input.permissions)],
      input.scope.level,
      input.scope.level === 'district' ? input.scope.districtCode : null,
    ],
  );
  return { row: row!, secret };
}

/**
 * api_client has no row-level security (partner sign-in reads it before any scope exists), so the
 * administrator's scope is applied here: city sees every client, a district only its own district's.
 */
function visibleTo(actor: Scope): { sql: string; district: string | null } {
  if (actor.level === 'city') return { sql: 'true', district: null };
  return { sql: `scope_district = $D and ${actor.level === 'district' ? 'true' : 'false'}`, district: actor.districtCode ?? '' };
}

export function clientInsideScope(actor: Scope, client: CreateApiClientInput['scope']): boolean {
  return actor.level === 'city' || (actor.level === 'district' && client.level === 'district' && client.districtCode === actor.districtCode);
}

export async function listApiClients(tx: Tx, actor: Scope, page: number, pageSize: number): Promise<{ rows: ApiClientRow[]; total: number }> {
  const v = visibleTo(actor);
  const { total } = (
    await tx.query<{ total: number }>(
      `select count(*)::int as total from api_client where ${v.sql.replace('$D', '$1')}`,
      v.district === null ? [] : [v.district],
    )
  )[0]!;
  const rows = await tx.query<ApiClientRow>(
    `select ${COLUMNS} from api_client where ${v.sql.replace('$D', '$3')} order by id limit $1 offset $2`,
    v.district === null ? [pageSize, (page - 1) * pageSize] : [pageSize, (page - 1) * pageSize, v.district],
  );
  return { rows, total };
}

export async function setApiClientDisabled(tx: Tx, actor: Scope, clientId: string, disabled: boolean): Promise<{ before: ApiClientRow; after: ApiClientRow }> {
  const v = visibleTo(actor);
  const [before] = await tx.query<ApiClientRow>(
    `select ${COLUMNS} from api_client where client_id = $1 and ${v.sql.replace('$D', '$2')}`,
    v.district === null ? [clientId] : [clientId, v.district],
  );
  if (!before) throw notFound('合作系统不存在');
  const [after] = await tx.query<ApiClientRow>(`update api_client set disabled = $2 where client_id = $1 returning ${COLUMNS}`, [clientId, disabled]);
  return { before, after: after! };
}
