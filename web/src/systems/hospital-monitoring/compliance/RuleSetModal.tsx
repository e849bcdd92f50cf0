import { App, Form, Input, Modal, Radio, Select, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import type { ComplianceRule, RuleSet } from './types';

interface Values {
  name: string;
  description?: string;
  ruleIds: number[];
  schedule: string;
  cron?: string;
  strategy: 'full' | 'incremental';
  online: boolean;
}

/** Common schedules; 自定义 takes any 5-field cron (Asia/Shanghai). */
const PRESETS: [string, string][] = [
  ['manual', '仅按需运行'],
  ['30 2 * * *', '每天 02:30'],
  ['0 * * * *', '每小时整点'],
  ['0 3 * * 1', '每周一 03:00'],
  ['0 4 1 * *', '每月1日 04:00'],
  ['custom', '自定义 cron'],
];

/** 新建 / 编辑规则集: rules, schedule, strategy and online state. */
export function RuleSetModal({ open, editing, onClose, onSaved }: { open: boolean; editing: RuleSet | null; onClose(): void; onSaved(): void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const rules = useApi((s) => api.get<Page<ComplianceRule>>('/compliance/rules', { pageSize: 100 }, s), [], open);
  const schedule = Form.useWatch('schedule', form);

  useEffect(() => {
    if (!open) return;
    if (editing) {
      const preset = editing.cron === null ? 'manual' : PRESETS.some(([v]) => v === editing.cron) ? editing.cron : 'custom';
      form.setFieldsValue({
        name: editing.name,
        description: editing.description ?? '',
        ruleIds: editing.ruleIds,
        schedule: preset,
        cron: editing.cron ?? '',
        strategy: editing.strategy,
        online: editing.online,
      });
    } else {
      form.resetFields();
    }
  }, [open, editing, form]);

  const submit = async () => {
    const v = await form.validateFields();
    const cron = v.schedule === 'manual' ? null : v.schedule === 'custom' ? (v.cron ?? '').trim() : v.schedule;
    const body = { name: v.name.trim(), description: v.description?.trim() ?? '', ruleIds: v.ruleIds, cron, strategy: v.strategy, online: v.online };
    setSaving(true);
    try {
      if (editing) await api.patch(`/compliance/rule-sets/${editing.id}`, body);
      else await api.post('/compliance/rule-sets', body);
      message.success(editing ? '规则集已保存' : '规则集已创建');
      onSaved();
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      if (rest.length || !(e instanceof Error && 'details' in e)) message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? `编辑规则集：${editing.name}` : '新建规则集'}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ schedule: '30 2 * * *', strategy: 'incremental', online: true, ruleIds: [] }}>
        <Form.Item
          name="name"
          label="规则集名称"
          rules={[
            { required: true, whitespace: true, message: '请填写规则集名称' },
            { max: 60, message: '名称不超过60字' },
          ]}
        >
          <Input placeholder="如：收费类每日巡检" />
        </Form.Item>
        <Form.Item name="description" label="说明">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="ruleIds" label="包含规则" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一条规则' }]}>
          <Select
            mode="multiple"
            loading={rules.loading}
            placeholder="选择规则"
            optionFilterProp="label"
            options={(rules.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.categoryTitle}｜${r.title}${r.enabled ? '' : '（已停用）'}` }))}
          />
        </Form.Item>
        <Form.Item name="schedule" label="运行计划">
          <Select options={PRESETS.map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        {schedule === 'custom' && (
          <Form.Item name="cron" label="cron 表达式（分 时 日 月 周，北京时间）" rules={[{ required: true, whitespace: true, message: '请填写 cron 表达式' }]}>
            <Input placeholder="如 15 1 * * *" />
          </Form.Item>
        )}
        <Form.Item name="strategy" label="运行策略">
          <Radio.Group
            options={[
              { value: 'incremental', label: '增量（只判定上次运行以来变化的数据）' },
              { value: 'full', label: '全量' },
            ]}
          />
        </Form.Item>
        <Form.Item name="online" label="上线" valuePropName="checked">
          <Switch checkedChildren="上线" unCheckedChildren="下线" />
        </Form.Item>
        <Typography.Text type="secondary">下线的规则集不会按计划运行，也不能手动运行；停用的规则在运行时跳过。</Typography.Text>
      </Form>
    </Modal>
  );
}
