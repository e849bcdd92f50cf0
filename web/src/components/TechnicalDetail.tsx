import { Collapse, Descriptions } from 'antd';
import type { ReactNode } from 'react';
import { JsonView } from './JsonView';

/** Technical detail (codes, raw JSON, system error text) folded away: shown to whoever opens it, never up front. */
export function TechnicalDetail({ children, label = '技术详情' }: { children: ReactNode; label?: string }) {
  return <Collapse size="small" ghost items={[{ key: 't', label, children }]} />;
}

const isPlain = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * A job's or a call's result as a person reads it: the flat fields of an object as a list (with the
 * caller's Chinese names where known); anything nested only in the technical detail.
 */
export function ResultView({ value, names = {} }: { value: unknown; names?: Record<string, string> }) {
  if (value === null || value === undefined) return <span style={{ color: '#666' }}>（无）</span>;
  if (isPlain(value)) return <span>{String(value)}</span>;
  const flat = !Array.isArray(value) && typeof value === 'object' ? Object.entries(value as Record<string, unknown>).filter(([, v]) => isPlain(v)) : [];
  return (
    <>
      {flat.length > 0 ? (
        <Descriptions
          size="small"
          column={2}
          items={flat.map(([k, v]) => ({
            key: k,
            label: names[k] ?? RESULT_NAMES[k] ?? k,
            children: v === null ? '—' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v),
          }))}
        />
      ) : null}
      <TechnicalDetail label="原始结果（技术详情）">
        <JsonView value={value} />
      </TechnicalDetail>
    </>
  );
}

/** Field names jobs commonly report. */
const RESULT_NAMES: Record<string, string> = {
  total: '总数',
  count: '数量',
  created: '新增',
  updated: '更新',
  unchanged: '未变',
  deleted: '删除',
  skipped: '跳过',
  failed: '失败',
  errors: '错误',
  fetched: '取得',
  processed: '已处理',
  inserted: '写入',
  sent: '已发送',
  matched: '匹配',
  date: '日期',
  day: '日期',
  rows: '行数',
  files: '文件数',
  durationMs: '耗时（毫秒）',
  residents: '居民数',
  contracts: '签约数',
  findings: '发现问题数',
};
