import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { type ChangeItem, OP_TEXT } from './types';

interface Row {
  op: ChangeItem['op'];
  code: string;
  display?: string;
  parents?: string;
  synonyms?: string;
  english?: string;
}

function toItem(r: Row): ChangeItem {
  const item: ChangeItem = { op: r.op, code: r.code.trim() };
  if (r.display) item.display = r.display;
  if (r.parents !== undefined && (r.op === 'add' || r.op === 'move')) item.parents = r.parents.split(/[,，\s]+/).filter(Boolean);
  if (r.op === 'designations' || (r.op === 'add' && (r.synonyms || r.english))) {
    item.designations = [
      ...(r.synonyms ?? '')
        .split(/[;；]/)
        .map((s) => s.trim())
        .filter(Boolean)
        .map((value) => ({ use: 'synonym', value })),
      ...(r.english ? [{ use: 'english', language: 'en', value: r.english.trim() }] : []),
    ];
  }
  return item;
}

/** 起草变更申请: one row per change (新增、停用、恢复、改名、移动、同义词). */
export function ChangeRequestModal({ system, open, onClose, onCreated }: { system: string; open: boolean; onClose: () => void; onCreated: () => void }) {
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      await api.post('/terminology/change-requests', { system, title: v.title, version: v.version || undefined, items: (v.items as Row[]).map(toItem) });
      form.resetFields();
      onCreated();
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      setError([errorText(e), ...rest.map((r) => `${r.field}：${r.message}`)].join('\n'));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title="起草代码变更申请" open={open} width={980} onCancel={onClose} onOk={submit} confirmLoading={saving} okText="保存草稿" destroyOnHidden>
      {error ? <Alert type="error" message={<pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{error}</pre>} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" initialValues={{ items: [{ op: 'add' }] }}>
        <Space>
          <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }]}>
            <Input style={{ width: 420 }} placeholder="如：2026 年第一批地方扩展码" />
          </Form.Item>
          <Form.Item name="version" label="发布版本号（可选）">
            <Input style={{ width: 160 }} placeholder="如 2.0.1" />
          </Form.Item>
        </Space>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start" wrap>
                  <Form.Item name={[f.name, 'op']} rules={[{ required: true, message: '请选择' }]}>
                    <Select
                      style={{ width: 130 }}
                      options={Object.entries(OP_TEXT)
                        .filter(([k]) => k !== 'properties')
                        .map(([value, label]) => ({ value, label }))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'code']} rules={[{ required: true, message: '请填写代码' }]}>
                    <Input placeholder="代码" style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'display']}>
                    <Input placeholder="名称（新增/改名）" style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'parents']}>
                    <Input placeholder="上级代码（新增/移动）" style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'synonyms']}>
                    <Input placeholder="同义词（；分隔）" style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'english']}>
                    <Input placeholder="英文名" style={{ width: 120 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} style={{ marginTop: 8 }} />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({ op: 'add' })} icon={<PlusOutlined />}>
                添加一项变更
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
