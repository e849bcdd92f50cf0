import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { conflict, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id, IdParams, Paging, pageOf, Text } from '../../../platform/http/schema.ts';
import { countTeams, getInstitution, type InstitutionDto, moveTeams } from '../../common/master-data/service.ts';
import { pushToCombination } from './combination-push.ts';
import type { ContractRow } from './repository.ts';
import { operator } from './shapes.ts';
import { MergeDone, MergePage, MergePreview, MergeRowPage } from './responses.ts';

/**
 * 总分院合并: a branch (分院, master data `institution.parent_id` = its 总院) is merged into its main
 * institution: every family-doctor row naming the branch names the main institution instead — contracts
 * (as centre or as district / city hospital of the combination) and their history, 转签 requests, death
 * checks, visits, agreements, signatures, attachments and authorization codes. One transaction; every
 * changed value is kept in fd_merge_row (the trail) and the merge is audited with its counts.
 * The 总院/分院 relation itself is maintained in master data (机构管理, 上级机构). City administrators only:
 * a branch's contracts belong to residents of any district.
 */
export const MERGE_TARGETS: readonly { table: string; column: string; title: string }[] = [
  { table: 'fd_contract', column: 'institution_id', title: '签约（签约社区）' },
  { table: 'fd_contract', column: 'district_hospital_id', title: '签约（区级医院）' },
  { table: 'fd_contract', column: 'city_hospital_id', title: '签约（市级医院）' },
  { table: 'fd_contract_event', column: 'institution_id', title: '签约记录' },
  { table: 'fd_transfer_request', column: 'from_institution_id', title: '转签申请（转出）' },
  { table: 'fd_transfer_request', column: 'to_institution_id', title: '转签申请（接收）' },
  { table: 'fd_death_check', column: 'institution_id', title: '死亡核实' },
  { table: 'fd_visit', column: 'institution_id', title: '就诊记录' },
  { table: 'fd_agreement', column: 'institution_id', title: '协议书' },
  { table: 'fd_signature', column: 'institution_id', title: '签名' },
  { table: 'fd_attachment', column: 'institution_id', title: '证明材料' },
  { table: 'fd_auth_code', column: 'institution_id', title: '授权码' },
];

const TEAM_TARGET = { table: 'team', column: 'institution_id', title: '家庭医生团队（主数据）' } as const;

async function pair(ctx: ServiceContext, branchId: number): Promise<{ branch: InstitutionDto; main: InstitutionDto }> {
  const branch = await getInstitution(ctx, branchId);
  if (!branch) throw notFound('机构不存在');
  if (!branch.parentId) throw unprocessable('该机构未设置总院（不是分院），不能合并', [{ field: 'branchId', message: '请先在机构管理中设置其总院' }]);
  const main = await getInstitution(ctx, branch.parentId);
  if (!main) throw notFound('总院不存在');
  if (main.kind !== branch.kind) throw unprocessable('总院与分院的机构类型不同，不能合并', [{ field: 'branchId', message: '机构类型不同' }]);
  const [done] = await ctx.tx.query<{ id: number }>('select id from fd_merge where branch_id = $1', [branch.id]);
  if (done) throw unprocessable('该分院已合并到总院，不能重复合并', [{ field: 'branchId', message: '已合并' }]);
  return { branch, main };
}

export async function previewMerge(ctx: ServiceContext, branchId: number): Promise<MergePreview> {
  const { branch, main } = await pair(ctx, branchId);
  const counts = [];
  for (const t of MERGE_TARGETS) {
    const r = (await ctx.tx.query<{ n: number }>(`select count(*)::int as n from ${t.table} where ${t.column} = $1`, [branch.id]))[0]!;
    counts.push({ ...t, rows: r.n });
  }
  // The branch's family-doctor teams move too (master data), so contracts keep a team of the main centre.
  counts.push({ ...TEAM_TARGET, rows: await countTeams(ctx, branch.id) });
  const a = (
    await ctx.tx.query<{ n: number }>(
      `select count(*)::int as n from fd_contract where status = 'active' and (institution_id = $1 or district_hospital_id = $1 or city_hospital_id = $1)`,
      [branch.id],
    )
  )[0]!;
  const sample = await ctx.tx.query<{ id: number; status: string; col: string }>(
    `select id, status, case when institution_id = $1 then 'institution_id' when district_hospital_id = $1 then 'district_hospital_id' else 'city_hospital_id' end as col
       from fd_contract where institution_id = $1 or district_hospital_id = $1 or city_hospital_id = $1 order by id limit 20`,
    [branch.id],
  );
  return {
    branch: { id: branch.id, name: branch.name, kind: branch.kind },
    main: { id: main.id, name: main.name, kind: main.kind },
    counts,
    total: counts.reduce((s, c) => s + c.rows, 0),
    activeContracts: a.n,
    sample: sample.map((s) => ({ contractId: Number(s.id), status: s.status, column: s.col })),
  };
}

export const MergeBody = Type.Object(
  {
    branchId: Id,
    expectedTotal: Type.Integer({ minimum: 0, description: '预览时的受影响行数；数据已变化时拒绝（409），请重新预览' }),
    note: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

export async function mergeBranch(ctx: ServiceContext, b: typeof MergeBody.static) {
  const preview = await previewMerge(ctx, b.branchId);
  if (preview.total !== b.expectedTotal) throw conflict(`受影响数据已变化（预览 ${b.expectedTotal} 行，当前 ${preview.total} 行），请重新预览后再合并`);
  const { branch, main } = preview;
  const inst = (await getInstitution(ctx, branch.id)) as InstitutionDto;
  const m = (
    await ctx.tx.query<{ id: number }>(
      `insert into fd_merge (branch_id, main_id, counts, note, merged_by, merged_by_name, district_code) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [
        branch.id,
        main.id,
        JSON.stringify(Object.fromEntries(preview.counts.map((c) => [`${c.table}.${c.column}`, c.rows]))),
        b.note ?? null,
        operator(ctx).operator_id,
        operator(ctx).operator_name,
        inst.districtCode,
      ],
    )
  )[0]!;
  const moved: Record<string, number> = {};
  for (const t of MERGE_TARGETS) {
    // A contract changes version (the mirror and the combination see a new state); history rows keep theirs.
    const bump = t.table === 'fd_contract' ? ', version = version + 1, updated_at = now()' : '';
    const r = (
      await ctx.tx.query<{ n: number }>(
        `with u as (update ${t.table} set ${t.column} = $2${bump} where ${t.column} = $1 returning id),
            trail as (insert into fd_merge_row (merge_id, table_name, row_id, column_name, old_value, new_value, district_code)
                      select $3, '${t.table}', id, '${t.column}', $1, $2, $4 from u returning 1)
       select count(*)::int as n from trail`,
        [branch.id, main.id, m.id, inst.districtCode],
      )
    )[0]!;
    moved[`${t.table}.${t.column}`] = r.n;
  }
  // The branch's teams belong to the main institution from now on (contracts keep their team_id);
  // each moved team is kept in the trail like the contract rows.
  const teams = await moveTeams(ctx, branch.id, main.id);
  if (teams.length > 0) {
    await ctx.tx.query(
      `insert into fd_merge_row (merge_id, table_name, row_id, column_name, old_value, new_value, district_code)
       select $1, 'team', unnest($2::bigint[]), 'institution_id', $3, $4, $5`,
      [m.id, teams, branch.id, main.id, inst.districtCode],
    );
  }
  moved['team.institution_id'] = teams.length;
  // The institutions of the moved active contracts learn of them (三优先).
  const active = await ctx.tx.query<ContractRow>(
    `select c.* from fd_contract c where c.status = 'active' and c.id in (select row_id from fd_merge_row where merge_id = $1 and table_name = 'fd_contract')`,
    [m.id],
  );
  for (const c of active) await pushToCombination(ctx, c, 'merge');
  ctx.audit.write({
    action: 'family-doctor.merge',
    objectType: 'institution',
    objectId: branch.id,
    districtCode: inst.districtCode,
    before: { institutionId: branch.id, name: branch.name },
    after: { mergedInto: main.id, name: main.name, mergeId: Number(m.id), moved },
    note: b.note,
  });
  return { mergeId: Number(m.id), branch, main, moved, total: Object.values(moved).reduce((s, n) => s + n, 0) };
}

export const mergePreviewRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/merges/preview',
  summary: '总分院合并预览（受影响数据）',
  auth: 'staff',
  permission: 'family-doctor.merge',
  querystring: Type.Object({ branchId: Id }, { additionalProperties: false }),
  response: { 200: MergePreview },
  handler: (ctx, { query }) => previewMerge(ctx, query.branchId),
});

export const mergeRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/merges',
  summary: '总分院合并（分院签约及历史并入总院）',
  description: '一个事务完成；expectedTotal 须与预览一致；每个变更值记入合并明细并审计。',
  auth: 'staff',
  permission: 'family-doctor.merge',
  body: MergeBody,
  successStatus: 201,
  response: { 201: MergeDone },
  handler: (ctx, { body }) => mergeBranch(ctx, body),
});

export const mergeListRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/merges',
  summary: '总分院合并记录',
  auth: 'staff',
  permission: 'family-doctor.merge',
  querystring: Type.Object({ ...Paging }, { additionalProperties: false }),
  response: { 200: MergePage },
  handler: async (ctx, { query }) => {
    const { limit, offset } = pageOf(query);
    const n = (await ctx.tx.query<{ n: number }>('select count(*)::int as n from fd_merge'))[0]!;
    const rows = await ctx.tx.query<{
      id: number;
      branch_id: number;
      main_id: number;
      counts: Record<string, number>;
      note: string | null;
      merged_by_name: string | null;
      merged_at: Date;
    }>('select * from fd_merge order by id desc limit $1 offset $2', [limit, offset]);
    const items = [];
    for (const r of rows) {
      items.push({
        id: Number(r.id),
        branchId: Number(r.branch_id),
        branchName: (await getInstitution(ctx, Number(r.branch_id)))?.name ?? null,
        mainId: Number(r.main_id),
        mainName: (await getInstitution(ctx, Number(r.main_id)))?.name ?? null,
        counts: typeof r.counts === 'string' ? JSON.parse(r.counts) : r.counts,
        note: r.note,
        mergedByName: r.merged_by_name,
        mergedAt: r.merged_at,
      });
    }
    return { total: n.n, items };
  },
});

export const mergeRowsRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/merges/:id/rows',
  summary: '合并明细（每个变更值）',
  auth: 'staff',
  permission: 'family-doctor.merge',
  params: IdParams,
  querystring: Type.Object({ ...Paging }, { additionalProperties: false }),
  response: { 200: MergeRowPage },
  handler: async (ctx, { params, query }) => {
    const { limit, offset } = pageOf(query);
    const n = (await ctx.tx.query<{ n: number }>('select count(*)::int as n from fd_merge_row where merge_id = $1', [params.id]))[0]!;
    const rows = await ctx.tx.query<{ table_name: string; row_id: number; column_name: string; old_value: number; new_value: number }>(
      'select table_name, row_id, column_name, old_value, new_value from fd_merge_row where merge_id = $1 order by table_name, column_name, row_id limit $2 offset $3',
      [params.id, limit, offset],
    );
    return {
      total: n.n,
      items: rows.map((r) => ({
        table: r.table_name,
        rowId: Number(r.row_id),
        column: r.column_name,
        oldValue: Number(r.old_value),
        newValue: Number(r.new_value),
      })),
    };
  },
});
