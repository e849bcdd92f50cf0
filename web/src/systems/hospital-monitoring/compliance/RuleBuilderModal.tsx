import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import type { BuilderCatalog, CatalogField, Preview, RuleTree } from './types';

const OPS = [
  { value: '=', label: '等于' },
  { value: '<>', label: '不等于' },
  { value: '>', label: '大于' },
  { value: '>=', label: '大于等于' },
  { value: '<', label: '小于' },
  { value: '<=', label: '小于等于' },
];

interface Values {
  category: string;
  title: string;
  shape: 'condition' | 'daily';
  source: string;
  field?: string;
  op: string;
  value?: string | number | boolean;
  item?: string;
  threshold?: number;
  enabled: boolean;
}

const field = (name: string, path?: string[]) => (path ? { kind: 'field', path, name } : { kind: 'field', name });

function literal(f: CatalogField | undefined, v: unknown) {
  if (!f) return { kind: 'lit', value: v ?? null };
  if (f.type === 'integer' || f.type === 'number') return { kind: 'lit', value: Number(v), type: f.type };
  if (f.type === 'boolean') return { kind: 'lit', value: v === true || v === 'true' };
  if (f.type === 'date') return { kind: 'lit', value: String(v ?? ''), type: 'date' };
  return { kind: 'lit', value: String(v ?? '') };
}

/** The two common shapes as rule trees (the server checks and describes them). */
export function buildTree(v: Values, fields: CatalogField[]): RuleTree {
  if (v.shape === 'daily') {
    const isItem = { kind: 'cmp', op: '=', left: field('item_code'), right: { kind: 'lit', value: v.item ?? '' } };
    const times = { kind: 'agg', fn: 'count', by: [field('person_id', ['encounter']), field('charged_on')], where: isItem };
    return {
      source: 'fee_line',
      when: { kind: 'and', args: [isItem, { kind: 'cmp', op: '>', left: times, right: { kind: 'lit', value: v.threshold ?? 0 } }] },
      select: [{ name: 'times', title: '当日次数', expr: times }],
    };
  }
  const f = fields.find((x) => x.name === v.field);
  return { source: v.source, when: { kind: 'cmp', op: v.op, left: field(v.field ?? ''), right: literal(f, v.value) } };
}

/** A simple rule builder: one condition on a field, or "count per patient per day of item X > N"; preview before saving. */
export function RuleBuilderModal({ open, onClose, onSaved }: { open: boolean; onClose(): void; onSaved(): void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const catalog = useApi((s) => api.get<BuilderCatalog>('/compliance/catalog', undefined, s), [], open);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const shape = Form.useWatch('shape', form);
  const sourceName = Form.useWatch('source', form);
  const fieldName = Form.useWatch('field', form);
  const sources = catalog.data?.sources ?? [];
  const fields = sources.find((s) => s.name === (shape === 'daily' ? 'fee_line' : sourceName))?.fields ?? [];
  const chosen = fields.find((f) => f.name === fieldName);
  const items = sources.find((s) => s.name === 'fee_line')?.fields.find((f) => f.name === 'item_code')?.codes ?? [];

  const tree = () => buildTree(form.getFieldsValue(true) as Values, fields);

  const runPreview = async () => {
    setBusy(true);
    setPreviewError(null);
    try {
      const v = await form.validateFields();
      setPreview(await api.post<Preview>('/compliance/rules/preview', { title: v.title, rule: tree() }));
    } catch (e) {
      if (e && typeof e === 'object' && 'errorFields' in e) return;
      applyFieldErrors(form, e);
      setPreview(null);
      setPreviewError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    setBusy(true);
    try {
      const v = await form.validateFields();
      await api.post('/compliance/rules', { category: v.category, title: v.title, enabled: v.enabled, rule: tree() });
      message.success('规则已保存');
      form.resetFields();
      setPreview(null);
      onSaved();
    } catch (e) {
      if (e && typeof e === 'object' && 'errorFields' in e) return;
      setPreviewError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="新建监测规则"
      width={820}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button onClick={runPreview} loading={busy} data-testid="rule-preview">
            预览
          </Button>
          <Button type="primary" onClick={save} loading={busy} disabled={!preview} data-testid="rule-save">
            保存
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ shape: 'condition', source: 'fee_line', op: '>', enabled: false, threshold: 2 }}
        onValuesChange={() => setPreview(null)}
      >
        <Space wrap>
          <Form.Item name="category" label="监测类别" rules={[{ required: true, message: '请选择监测类别' }]}>
            <Select style={{ width: 200 }} options={(catalog.data?.categories ?? []).map((c) => ({ value: c.code, label: c.title }))} />
          </Form.Item>
          <Form.Item
            name="title"
            label="规则名称"
            rules={[
              { required: true, message: '请填写规则名称' },
              { max: 100, message: '不超过 100 个字' },
            ]}
          >
            <Input style={{ width: 360 }} maxLength={100} />
          </Form.Item>
        </Space>
        <Form.Item name="shape" label="规则形式">
          <Radio.Group
            options={[
              { value: 'condition', label: '字段条件（数据源 + 字段 + 比较 + 阈值）' },
              { value: 'daily', label: '同一患者同一天某收费项目次数超过 N' },
            ]}
          />
        </Form.Item>
        {shape === 'daily' ? (
          <Space wrap>
            <Form.Item name="item" label="收费项目" rules={[{ required: true, message: '请选择收费项目' }]}>
              <Select style={{ width: 220 }} options={items.map((c) => ({ value: c.code, label: c.label }))} showSearch optionFilterProp="label" />
            </Form.Item>
            <Form.Item name="threshold" label="每日次数超过" rules={[{ required: true, message: '请填写次数' }]}>
              <InputNumber min={0} max={100} precision={0} />
            </Form.Item>
          </Space>
        ) : (
          <Space wrap>
            <Form.Item name="source" label="数据源">
              <Select
                style={{ width: 140 }}
                options={sources.map((s) => ({ value: s.name, label: s.title }))}
                onChange={() => form.setFieldsValue({ field: undefined, value: undefined })}
              />
            </Form.Item>
            <Form.Item name="field" label="字段" rules={[{ required: true, message: '请选择字段' }]}>
              <Select
                style={{ width: 200 }}
                options={fields.map((f) => ({ value: f.name, label: `${f.title}（${f.typeTitle}）` }))}
                onChange={() => form.setFieldsValue({ value: undefined })}
              />
            </Form.Item>
            <Form.Item name="op" label="比较">
              <Select style={{ width: 120 }} options={OPS} />
            </Form.Item>
            <Form.Item name="value" label="阈值" rules={[{ required: true, message: '请填写阈值' }]}>
              {chosen?.codes ? (
                <Select style={{ width: 200 }} options={chosen.codes.map((c) => ({ value: c.code, label: c.label }))} />
              ) : chosen?.type === 'boolean' ? (
                <Select
                  style={{ width: 120 }}
                  options={[
                    { value: true, label: '是' },
                    { value: false, label: '否' },
                  ]}
                />
              ) : chosen?.type === 'integer' || chosen?.type === 'number' ? (
                <InputNumber style={{ width: 160 }} />
              ) : (
                <Input style={{ width: 200 }} maxLength={100} placeholder={chosen?.type === 'date' ? 'YYYY-MM-DD' : undefined} />
              )}
            </Form.Item>
          </Space>
        )}
        <Form.Item name="enabled" label="保存后立即启用" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
      {previewError && <Alert type="error" showIcon title={previewError} style={{ marginBottom: 12 }} />}
      {preview && (
        <div data-testid="rule-preview-result">
          <Alert
            type="info"
            showIcon
            title={preview.sentence}
            description={preview.window ? `近 90 天（${preview.window.from} 至 ${preview.window.to}）命中 ${preview.total} 条` : '暂无数据'}
          />
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            style={{ marginTop: 8 }}
            dataSource={preview.samples}
            columns={[
              { title: '日期', dataIndex: 'foundOn' },
              { title: '机构', dataIndex: 'institution' },
              { title: '医师', dataIndex: 'practitioner' },
              { title: '患者', dataIndex: 'patient' },
              { title: '项目', dataIndex: 'items' },
              { title: '金额', dataIndex: 'amount' },
              {
                title: '输出',
                dataIndex: 'values',
                render: (v: Record<string, unknown>) => (
                  <Typography.Text type="secondary">
                    {Object.entries(v ?? {})
                      .map(([k, x]) => `${k}=${String(x)}`)
                      .join('，') || '—'}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </div>
      )}
    </Modal>
  );
}
