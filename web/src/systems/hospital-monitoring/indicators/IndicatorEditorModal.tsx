import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, errorText } from '../../../app/api';
import type { CatalogField, EditorCatalog, Indicator, IndicatorDefinition, IndicatorPart, Preview } from './types';

const OPS = [
  { value: '=', label: '等于' },
  { value: '<>', label: '不等于' },
  { value: '>', label: '大于' },
  { value: '>=', label: '大于等于' },
  { value: '<', label: '小于' },
  { value: '<=', label: '小于等于' },
];

interface Condition {
  field?: string;
  op: string;
  value?: string | number | boolean;
}

interface PartState {
  source: string;
  fn: IndicatorPart['fn'];
  of?: string;
  conditions: Condition[];
}

const fieldRef = (dotted: string) => {
  const parts = dotted.split('.');
  const name = parts.pop() as string;
  return parts.length ? { kind: 'field', path: parts, name } : { kind: 'field', name };
};

function literal(f: CatalogField | undefined, v: unknown) {
  if (f?.type === 'integer' || f?.type === 'number') return { kind: 'lit', value: Number(v), type: f.type };
  if (f?.type === 'boolean') return { kind: 'lit', value: v === true || v === 'true' };
  if (f?.type === 'date') return { kind: 'lit', value: String(v ?? ''), type: 'date' };
  return { kind: 'lit', value: String(v ?? '') };
}

/** The part as the server's JSON: conditions joined by 且 (and). */
export function toPart(p: PartState, fields: CatalogField[]): IndicatorPart {
  const conds = p.conditions
    .filter((c) => c.field)
    .map((c) => ({
      kind: 'cmp',
      op: c.op,
      left: fieldRef(c.field as string),
      right: literal(
        fields.find((f) => f.name === c.field),
        c.value,
      ),
    }));
  const part: IndicatorPart = { source: p.source, fn: p.fn };
  if (p.fn !== 'count' && p.of) part.of = p.of;
  if (conds.length === 1) part.where = conds[0];
  else if (conds.length > 1) part.where = { kind: 'and', args: conds };
  return part;
}

/** Reads simple stored filters (one comparison, or 且 of comparisons) back into rows; anything else is kept as is. */
function fromPart(p: IndicatorPart): PartState {
  const conditions: Condition[] = [];
  const one = (e: unknown) => {
    const x = e as {
      kind?: string;
      op?: string;
      left?: { kind: string; path?: string[]; name: string };
      right?: { kind: string; value: string | number | boolean };
    };
    if (x?.kind === 'cmp' && x.left?.kind === 'field' && x.right?.kind === 'lit') {
      conditions.push({ field: [...(x.left.path ?? []), x.left.name].join('.'), op: x.op ?? '=', value: x.right.value });
    }
  };
  const w = p.where as { kind?: string; args?: unknown[] } | undefined;
  if (w?.kind === 'and') w.args?.forEach(one);
  else if (w) one(w);
  return { source: p.source, fn: p.fn, of: p.of, conditions };
}

function PartEditor({ title, catalog, value, onChange }: { title: string; catalog: EditorCatalog; value: PartState; onChange(p: PartState): void }) {
  const source = catalog.sources.find((s) => s.name === value.source);
  const fields = source?.fields ?? [];
  const measurable = fields.filter((f) => (value.fn === 'sum' ? f.type === 'number' || f.type === 'integer' : true));
  const set = (patch: Partial<PartState>) => onChange({ ...value, ...patch });
  const setCond = (i: number, patch: Partial<Condition>) => set({ conditions: value.conditions.map((c, k) => (k === i ? { ...c, ...patch } : c)) });
  return (
    <Card size="small" title={title}>
      <Space wrap>
        <Select
          aria-label={`${title}数据源`}
          style={{ width: 130 }}
          value={value.source}
          options={catalog.sources.map((s) => ({ value: s.name, label: s.title }))}
          onChange={(v) => set({ source: v, of: undefined, conditions: [] })}
        />
        <Select
          aria-label={`${title}统计方式`}
          style={{ width: 150 }}
          value={value.fn}
          options={catalog.measures.map((m) => ({ value: m.code, label: m.title }))}
          onChange={(v) => set({ fn: v, of: undefined })}
        />
        {value.fn !== 'count' && (
          <Select
            aria-label={`${title}字段`}
            style={{ width: 220 }}
            placeholder="统计字段"
            value={value.of}
            showSearch
            optionFilterProp="label"
            options={measurable.map((f) => ({ value: f.name, label: f.title }))}
            onChange={(v) => set({ of: v })}
          />
        )}
      </Space>
      <div style={{ marginTop: 8 }}>
        {value.conditions.map((c, i) => {
          const f = fields.find((x) => x.name === c.field);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity besides their position
            <Space key={i} wrap style={{ marginBottom: 4 }}>
              <Typography.Text type="secondary">{i === 0 ? '筛选：' : '且'}</Typography.Text>
              <Select
                style={{ width: 200 }}
                placeholder="字段"
                value={c.field}
                showSearch
                optionFilterProp="label"
                options={fields.map((x) => ({ value: x.name, label: `${x.title}（${x.typeTitle}）` }))}
                onChange={(v) => setCond(i, { field: v, value: undefined })}
              />
              <Select style={{ width: 110 }} value={c.op} options={OPS} onChange={(v) => setCond(i, { op: v })} />
              {f?.codes ? (
                <Select
                  style={{ width: 160 }}
                  value={c.value as string}
                  options={f.codes.map((x) => ({ value: x.code, label: x.label }))}
                  onChange={(v) => setCond(i, { value: v })}
                />
              ) : f?.type === 'boolean' ? (
                <Select
                  style={{ width: 100 }}
                  value={c.value as boolean}
                  options={[
                    { value: true, label: '是' },
                    { value: false, label: '否' },
                  ]}
                  onChange={(v) => setCond(i, { value: v })}
                />
              ) : f?.type === 'integer' || f?.type === 'number' ? (
                <InputNumber style={{ width: 140 }} value={c.value as number} onChange={(v) => setCond(i, { value: v ?? undefined })} />
              ) : (
                <Input
                  style={{ width: 160 }}
                  value={c.value as string}
                  maxLength={100}
                  placeholder={f?.type === 'date' ? 'YYYY-MM-DD' : '值'}
                  onChange={(e) => setCond(i, { value: e.target.value })}
                />
              )}
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label="删除条件"
                onClick={() => set({ conditions: value.conditions.filter((_, k) => k !== i) })}
              />
            </Space>
          );
        })}
        <Button size="small" icon={<PlusOutlined />} onClick={() => set({ conditions: [...value.conditions, { op: '=' }] })}>
          添加筛选条件
        </Button>
      </div>
    </Card>
  );
}

const EMPTY: PartState = { source: 'encounter', fn: 'count', conditions: [] };

/** 指标编辑器: numerator and optional denominator over the catalog, with filters; preview shows the Chinese definition and a value. */
export function IndicatorEditorModal({
  open,
  catalog,
  editing,
  onClose,
  onSaved,
}: {
  open: boolean;
  catalog?: EditorCatalog;
  editing: Indicator | null;
  onClose(): void;
  onSaved(): void;
}) {
  const { message } = App.useApp();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [num, setNum] = useState<PartState>(EMPTY);
  const [hasDen, setHasDen] = useState(false);
  const [den, setDen] = useState<PartState>(EMPTY);
  const [multiplier, setMultiplier] = useState(1);
  const [unit, setUnit] = useState('');
  const [precision, setPrecision] = useState(2);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    const d = editing?.definition;
    setTitle(editing?.title ?? '');
    setDescription(editing?.description ?? '');
    setNum(d ? fromPart(d.numerator) : EMPTY);
    setHasDen(!!d?.denominator);
    setDen(d?.denominator ? fromPart(d.denominator) : EMPTY);
    setMultiplier(d?.multiplier ?? 1);
    setUnit(d?.unit ?? '');
    setPrecision(d?.precision ?? 2);
    setPreview(null);
    setError(null);
  }, [open, editing]);

  if (!catalog) return null;
  const fieldsOf = (s: string) => catalog.sources.find((x) => x.name === s)?.fields ?? [];
  const definition = (): IndicatorDefinition => {
    const d: IndicatorDefinition = { numerator: toPart(num, fieldsOf(num.source)), multiplier, unit, precision };
    if (hasDen) d.denominator = toPart(den, fieldsOf(den.source));
    return d;
  };
  const call = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const runPreview = () => call(async () => setPreview(await api.post<Preview>('/indicators/preview', { definition: definition() })));
  const save = () =>
    call(async () => {
      if (!title.trim()) throw new Error('请填写指标名称');
      const body = { title, description: description || undefined, definition: definition() };
      if (editing) await api.post(`/indicators/${editing.id}/versions`, body);
      else await api.post('/indicators', body);
      message.success(editing ? '已保存新版本' : '指标已保存');
      onSaved();
    });
  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPreview(null);
    };

  return (
    <Modal
      open={open}
      width={880}
      title={editing ? `修改指标「${editing.title}」（保存为新版本）` : '新建自定义指标'}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button onClick={runPreview} loading={busy} data-testid="indicator-preview">
            预览
          </Button>
          <Button type="primary" onClick={save} loading={busy} disabled={!preview} data-testid="indicator-save">
            保存
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Input aria-label="指标名称" style={{ width: 280 }} placeholder="指标名称" maxLength={60} value={title} onChange={(e) => setTitle(e.target.value)} />
          <Input
            aria-label="说明"
            style={{ width: 420 }}
            placeholder="说明（可选）"
            maxLength={500}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Space>
        <PartEditor title="分子" catalog={catalog} value={num} onChange={change(setNum)} />
        <Checkbox checked={hasDen} onChange={(e) => change(setHasDen)(e.target.checked)}>
          比率指标（设置分母，可来自另一数据源）
        </Checkbox>
        {hasDen && <PartEditor title="分母" catalog={catalog} value={den} onChange={change(setDen)} />}
        <Space wrap>
          <span>乘以</span>
          <Select
            style={{ width: 110 }}
            value={multiplier}
            onChange={change(setMultiplier)}
            options={[1, 100, 1000, 10000].map((m) => ({ value: m, label: m === 100 ? '100（%）' : m === 1000 ? '1000（‰）' : String(m) }))}
          />
          <span>单位</span>
          <Input style={{ width: 120 }} maxLength={10} value={unit} onChange={(e) => change(setUnit)(e.target.value)} placeholder="如 %、元、人次" />
          <span>小数位</span>
          <InputNumber min={0} max={4} precision={0} value={precision} onChange={(v) => change(setPrecision)(v ?? 0)} />
        </Space>
        {error && <Alert type="error" showIcon title={error} />}
        {preview && (
          <Alert
            type="info"
            showIcon
            data-testid="indicator-preview-result"
            title={preview.sentence}
            description={`近 12 个月（${preview.period.from} 至 ${preview.period.to}，按您的数据权限）：${preview.result.value ?? '无法计算（分母为 0）'}${preview.result.value !== null ? unit : ''}；分子 ${preview.result.numerator ?? '—'}${preview.result.denominator !== null ? `，分母 ${preview.result.denominator}` : ''}`}
          />
        )}
      </Space>
    </Modal>
  );
}
