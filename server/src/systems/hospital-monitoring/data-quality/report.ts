import type { Queryable } from '../../../platform/db/types.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { FileResponse } from '../../../platform/http/schema.ts';
import { exportHeading, pdfFile, type PdfBlock, xlsxFile } from '../../../platform/reports/index.ts';
import { anomalyView, STATUS_TITLE } from './anomalies.ts';
import { KIND_CODES, KIND_TITLE, type DqKind, SEVERITY_TITLE } from './definition.ts';
import * as repo from './repository.ts';
import { todayInShanghai } from '../../../platform/util/dates.ts';
import { Summary } from './responses.ts';

/**
 * The data-quality report (数据质量报告): overview (problems by kind and status), problems by institution
 * and by rule with the fix advice, and the open problems themselves — all under the reader's scope (the
 * queries run in the caller's transaction, row-level security applies). Served as PDF and as Excel.
 */
const MAX_PROBLEMS = 500;

export async function qualitySummary(tx: Queryable): Promise<Summary> {
  const byKindRows = await repo.countsByKind(tx);
  const byKind = KIND_CODES.map((kind) => {
    const n = (status: string) => byKindRows.find((r) => r.kind === kind && r.status === status)?.n ?? 0;
    return { kind, title: KIND_TITLE[kind], open: n('open'), fixed: n('fixed'), closed: n('closed') };
  });
  const totals = byKind.reduce((t, k) => ({ open: t.open + k.open, fixed: t.fixed + k.fixed, closed: t.closed + k.closed }), { open: 0, fixed: 0, closed: 0 });
  const byInstitution = (await repo.countsByInstitution(tx)).map((r) => ({
    institutionId: r.institution_id,
    institutionName: r.institution_name ?? String(r.institution_id),
    districtCode: r.district_code,
    open: r.open,
    fixed: r.fixed,
    closed: r.closed,
  }));
  const byRule = (await repo.countsByRule(tx)).map((r) => ({
    ruleId: r.rule_id,
    title: r.title,
    kind: r.kind as DqKind,
    kindTitle: KIND_TITLE[r.kind as DqKind],
    severityTitle: SEVERITY_TITLE[r.severity] ?? r.severity,
    suggestion: r.suggestion,
    open: r.open,
    fixed: r.fixed,
    closed: r.closed,
  }));
  const [last] = await repo.listRuns(tx, 1);
  return { totals, byKind, byInstitution, byRule, lastCheck: last ?? null };
}

export const summaryRoute = defineRoute({
  method: 'GET',
  url: '/data-quality/summary',
  summary: '数据质量概览（按类别、机构、规则统计；按数据权限）',
  auth: 'staff',
  permission: 'data-quality.read',
  response: { 200: Summary },
  handler: (ctx) => qualitySummary(ctx.tx),
});

async function problems(tx: Queryable) {
  return (await repo.listAnomalies(tx, { status: 'open' }, { limit: MAX_PROBLEMS, offset: 0 })).rows.map(anomalyView);
}

const today = () => todayInShanghai();

export const reportPdfRoute = defineRoute({
  method: 'GET',
  url: '/data-quality/report.pdf',
  summary: '数据质量报告（PDF：概览、问题分布、整改建议、问题清单）',
  auth: 'staff',
  permission: 'data-quality.read',
  response: { 200: FileResponse },
  handler: async (ctx) => {
    const s = await qualitySummary(ctx.tx);
    const list = await problems(ctx.tx);
    const blocks: PdfBlock[] = [
      { kind: 'heading', text: '一、总体情况' },
      {
        kind: 'keyValue',
        pairs: [
          ['待整改问题', String(s.totals.open)],
          ['已修正待复核', String(s.totals.fixed)],
          ['已消除', String(s.totals.closed)],
          ['最近一次检查', s.lastCheck?.finished_at ? new Date(s.lastCheck.finished_at).toISOString().slice(0, 16).replace('T', ' ') : '尚未检查'],
        ],
      },
      { kind: 'table', columns: ['问题类别', '待整改', '已修正待复核', '已消除'], rows: s.byKind.map((k) => [k.title, k.open, k.fixed, k.closed]) },
      { kind: 'heading', text: '二、问题分布（按机构）' },
      {
        kind: 'table',
        columns: ['机构', '待整改', '已修正待复核', '已消除'],
        rows: s.byInstitution.length ? s.byInstitution.map((i) => [i.institutionName, i.open, i.fixed, i.closed]) : [['（无）', 0, 0, 0]],
      },
      { kind: 'heading', text: '三、问题与整改建议（按规则）' },
      ...s.byRule.flatMap((r): PdfBlock[] => [
        { kind: 'paragraph', text: `【${r.kindTitle}·${r.severityTitle}】${r.title}：待整改 ${r.open}，已修正待复核 ${r.fixed}，已消除 ${r.closed}。` },
        { kind: 'paragraph', text: `整改建议：${r.suggestion}` },
      ]),
      { kind: 'heading', text: `四、待整改问题清单${list.length >= MAX_PROBLEMS ? `（前 ${MAX_PROBLEMS} 条）` : ''}` },
      {
        kind: 'table',
        columns: ['编号', '机构', '规则', '记录', '当前值', '建议值'],
        rows: list.length
          ? list.map((a) => [a.id, a.institutionName, a.ruleTitle, `${a.sourceTitle} ${a.objectKey}`, a.currentValue ?? '（空）', a.suggestedValue ?? '—'])
          : [['—', '无待整改问题', '', '', '', '']],
      },
    ];
    return pdfFile(`数据质量报告-${today()}.pdf`, {
      title: '多源数据质量报告',
      subtitle: `生成日期 ${today()} · 数据范围：${ctx.principal.displayName}的数据权限`,
      blocks,
      footer: '卫健 · 多源数据自检与校验',
    });
  },
});

export const reportXlsxRoute = defineRoute({
  method: 'GET',
  url: '/data-quality/report.xlsx',
  summary: '数据质量报告（Excel：概览、按机构、按规则与建议、问题清单）',
  auth: 'staff',
  permission: 'data-quality.read',
  response: { 200: FileResponse },
  handler: async (ctx) => {
    const s = await qualitySummary(ctx.tx);
    const list = await problems(ctx.tx);
    const counts = [
      { header: '待整改', key: 'open', width: 10 },
      { header: '已修正待复核', key: 'fixed', width: 14 },
      { header: '已消除', key: 'closed', width: 10 },
    ];
    return xlsxFile(
      `数据质量报告-${today()}.xlsx`,
      [
        { name: '概览', columns: [{ header: '问题类别', key: 'title', width: 18 }, ...counts], rows: [...s.byKind, { title: '合计', ...s.totals }] },
        {
          name: '按机构',
          columns: [{ header: '机构', key: 'institutionName', width: 30 }, { header: '区划', key: 'districtCode', width: 10 }, ...counts],
          rows: s.byInstitution,
        },
        {
          name: '问题与建议',
          columns: [
            { header: '类别', key: 'kindTitle', width: 14 },
            { header: '严重程度', key: 'severityTitle', width: 8 },
            { header: '规则', key: 'title', width: 30 },
            ...counts,
            { header: '整改建议', key: 'suggestion', width: 60 },
          ],
          rows: s.byRule,
        },
        {
          name: '问题清单',
          columns: [
            { header: '编号', key: 'id', width: 8 },
            { header: '机构', key: 'institutionName', width: 28 },
            { header: '类别', key: 'kindTitle', width: 14 },
            { header: '规则', key: 'ruleTitle', width: 30 },
            { header: '数据源', key: 'sourceTitle', width: 10 },
            { header: '记录号', key: 'objectKey', width: 10 },
            { header: '字段', key: 'fieldTitle', width: 14 },
            { header: '当前值', key: 'currentValue', width: 14 },
            { header: '建议值', key: 'suggestedValue', width: 14 },
            { header: '状态', key: 'statusTitle', width: 12 },
          ],
          rows: list,
        },
      ],
      await exportHeading(ctx, '数据质量报告'),
    );
  },
});

export { STATUS_TITLE };
