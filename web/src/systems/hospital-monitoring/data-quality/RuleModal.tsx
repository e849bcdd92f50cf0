import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, type ButtonProps, Input, Modal, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, errorText } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import type { CatalogField, EditorCatalog } from '../indicators/types';
import type { DqRule } from './types';

/** The fields a correction may edit (the server's whitelist; it refuses anything else). */
const CORRECTABLE: Record<string, string[]> = {
  encounter: ['discharged_on'],
  diagnosis: ['icd_code', 'diagnosed_on'],
  fee_line: ['charged_on', 'practitioner_id'],
  procedure: ['performed_on', 'surgeon_id'],
};

/** Reference checks: the id field → the key reached through its catalog relation (empty when the record does not exist). */
const REFERENCES: Record<string, Record<string, string>> = {
  fee_line: { practitioner_id: 'practitioner.id' },
  procedure: { surgeon_id: 'surgeon.id' },
};

const KINDS = [
  { value: 'completeness', label: '完整性：字段为空' },
  { value: 'format', label: '规范性：字段不符合格式' },
  { value: 'logic', label: '逻辑性：字段之间的关系不成立' },
  { value: 'reference', label: '关联性：引用的记录不存在' },
];
const OPS = ['=', '<>', '<', '<=', '>', '>='].map((o) => ({
  value: o,
  label: { '=': '等于', '<>': '不等于', '<': '早于/小于', '<=': '不晚于/不大于', '>': '晚于/大于', '>=': '不早于/不小于' }[o],
}));

interface Cond {
  field?: string;
  op: string;
  other?: string;
  value?: string;
  isNull?: boolean;
}

const ref = (dotted: string) => {
  const p = dotted.split('.');
  const name = p.pop() as string;
  return p.length ? { kind: 'field', path: p, name } : { kind: 'field', name };
};

function literal(f: CatalogField | undefined, v: string | undefined) {
  if (f?.type === 'integer' || f?.type === 'number') return { kind: 'lit', value: Number(v), type: f.type };
  if (f?.type === 'date') return { kind: 'lit', value: v ?? '', type: 'date' };
  return { kind: 'lit', value: v ?? '' };
}

function condExpr(c: Cond, fields: CatalogField[]) {
  if (c.isNull) return { kind: 'isNull', arg: ref(c.field as string) };
  const right = c.other
    ? ref(c.other)
    : literal(
        fields.find((f) => f.name === c.field),
        c.value,
      );
  return { kind: 'cmp', op: c.op, left: ref(c.field as string), right };
}

/** 新建数据质量规则: kind, source, the field to correct, the conditions (joined by 或 for logic rules, 且 otherwise), advice. */
export function RuleModal({ open, onClose, onSaved }: { open: boolean; onClose(): void; onSaved(r: DqRule): void }) {
  const { message } = App.useApp();
  const catalog = useApi((s) => api.get<EditorCatalog>('/indicators/catalog', undefined, s), [], open);
  const [kind, setKind] = useState('completeness');
  const [title, setTitle] = useState('');
  const [source, setSource] = useState('encounter');
  const [field, setField] = useState<string>();
  const [pattern, setPattern] = useState('');
  const [conds, setConds] = useState<Cond[]>([]);
  const [suggestion, setSuggestion] = useState('');
  const [severity, setSeverity] = useState('medium');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      setTitle('');
      setField(undefined);
      setConds([]);
      setPattern('');
      setSuggestion('');
      setError(null);
    }
  }, [open]);
  const fields = catalog.data?.sources.find((s) => s.name === source)?.fields ?? [];
  const correctable = fields.filter((f) => (kind === 'reference' ? !!REFERENCES[source]?.[f.name] : CORRECTABLE[source]?.includes(f.name)));
  const setCond = (i: number, patch: Partial<Cond>) => setConds(conds.map((c, k) => (k === i ? { ...c, ...patch } : c)));

  const save = async () => {
    setError(null);
    try {
      if (!field) throw new Error('请选择要检查（并可修正）的字段');
      const extra = conds.filter((c) => c.field).map((c) => condExpr(c, fields));
      const parts: unknown[] = [];
      if (kind === 'completeness') parts.push({ kind: 'isNull', arg: ref(field) });
      if (kind === 'reference') {
        const target = REFERENCES[source]?.[field];
        if (!target) throw new Error('该字段没有可校验的引用');
        parts.push({ kind: 'not', arg: { kind: 'isNull', arg: ref(field) } }, { kind: 'isNull', arg: ref(target) });
      }
      let when: unknown;
      if (kind === 'logic') {
        // Logic rules list the relations that must hold: the row is wrong when any of them fails (或).
        if (extra.length === 0) throw new Error('逻辑性规则至少需要一个条件');
        when = extra.length === 1 ? extra[0] : { kind: 'or', args: extra };
      } else {
        const all = [...parts, ...extra];
        if (all.length === 0) when = { kind: 'lit', value: true };
        else when = all.length === 1 ? all[0] : { kind: 'and', args: all };
      }
      const definition: Record<string, unknown> = { when };
      if (kind === 'format') Object.assign(definition, { pattern, normalize: 'upper-trim' });
      const r = await api.post<DqRule>('/data-quality/rules', { kind, title, source, field, definition, suggestion, severity });
      message.success(`规则已保存：${r.sentence}`);
      onSaved(r);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const condLabel =
    kind === 'logic' ? '下列任一情况即为问题：' : kind === 'reference' ? '字段有值但医师库中查无此人即为问题；附加条件（可选）：' : '适用条件（可选）：';
  return (
    <Modal
      open={open}
      width={860}
      title="新建数据质量规则"
      onCancel={onClose}
      destroyOnHidden
      onOk={save}
      okText="保存"
      cancelText="取消"
      okButtonProps={{ 'data-testid': 'dq-rule-save' } as ButtonProps}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Select
            aria-label="规则类别"
            style={{ width: 240 }}
            value={kind}
            options={KINDS}
            onChange={(v) => {
              setKind(v);
              setField(undefined);
            }}
          />
          <Input aria-label="规则名称" style={{ width: 300 }} maxLength={80} placeholder="规则名称" value={title} onChange={(e) => setTitle(e.target.value)} />
          <Select
            aria-label="严重程度"
            style={{ width: 100 }}
            value={severity}
            onChange={setSeverity}
            options={[
              { value: 'high', label: '高' },
              { value: 'medium', label: '中' },
              { value: 'low', label: '低' },
            ]}
          />
        </Space>
        <Space wrap>
          <Select
            aria-label="数据源"
            style={{ width: 140 }}
            value={source}
            options={(catalog.data?.sources ?? []).map((s) => ({ value: s.name, label: s.title }))}
            onChange={(v) => {
              setSource(v);
              setField(undefined);
              setConds([]);
            }}
          />
          <Select
            aria-label="检查字段"
            style={{ width: 200 }}
            placeholder="检查（可修正）的字段"
            value={field}
            options={correctable.map((f) => ({ value: f.name, label: f.title }))}
            onChange={setField}
          />
          {kind === 'format' && (
            <Input
              aria-label="格式"
              style={{ width: 300 }}
              placeholder="格式，如 [A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?"
              value={pattern}
              onChange={(e) => setPattern(e.target.value)}
            />
          )}
        </Space>
        <Typography.Text type="secondary">{condLabel}</Typography.Text>
        {conds.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity besides their position
          <Space key={i} wrap>
            <Select
              style={{ width: 200 }}
              placeholder="字段"
              value={c.field}
              showSearch
              optionFilterProp="label"
              options={fields.map((f) => ({ value: f.name, label: f.title }))}
              onChange={(v) => setCond(i, { field: v })}
            />
            <Select
              style={{ width: 130 }}
              value={c.isNull ? 'null' : c.op}
              options={[...OPS, { value: 'null', label: '为空' }]}
              onChange={(v) => setCond(i, v === 'null' ? { isNull: true } : { isNull: false, op: v })}
            />
            {!c.isNull && (
              <>
                <Select
                  style={{ width: 200 }}
                  allowClear
                  placeholder="另一字段（或填值）"
                  value={c.other}
                  showSearch
                  optionFilterProp="label"
                  options={fields.map((f) => ({ value: f.name, label: f.title }))}
                  onChange={(v) => setCond(i, { other: v })}
                />
                {!c.other && <Input style={{ width: 140 }} placeholder="值" value={c.value} onChange={(e) => setCond(i, { value: e.target.value })} />}
              </>
            )}
            <Button type="text" aria-label="删除条件" icon={<DeleteOutlined />} onClick={() => setConds(conds.filter((_, k) => k !== i))} />
          </Space>
        ))}
        <Button size="small" icon={<PlusOutlined />} onClick={() => setConds([...conds, { op: '<' }])}>
          添加条件
        </Button>
        <Input.TextArea
          aria-label="整改建议"
          rows={2}
          maxLength={300}
          placeholder="整改建议（写入质量报告）"
          value={suggestion}
          onChange={(e) => setSuggestion(e.target.value)}
        />
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}
