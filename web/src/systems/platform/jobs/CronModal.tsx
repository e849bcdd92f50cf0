import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import type { ScheduleItem as Schedule } from '@server/platform/jobs/responses.ts';

/** Edit a schedule's cron (5 fields, Asia/Shanghai). The server validates and says what is wrong. */
export function CronModal({ schedule, onClose, onSaved }: { schedule: Schedule | null; onClose(): void; onSaved(): void }) {
  const [form] = Form.useForm<{ cron: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();

  useEffect(() => {
    if (schedule) {
      form.setFieldsValue({ cron: schedule.cron ?? '' });
      setError(null);
    }
  }, [schedule, form]);

  const submit = async () => {
    if (!schedule) return;
    const { cron } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.patch(`/jobs/schedules/${encodeURIComponent(schedule.name)}`, { cron: cron.trim() || null });
      message.success('调度已保存');
      onSaved();
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      if (rest.length || !(e as { details?: unknown[] }).details?.length) setError(rest.length ? rest.map((r) => r.message).join('；') : errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`修改调度：${schedule?.title ?? ''}`} open={!!schedule} onOk={submit} onCancel={onClose} confirmLoading={busy} okText="保存" forceRender>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" data-testid="cron-form">
        <Form.Item name="cron" label="Cron 表达式（北京时间）" extra="5 个字段：分 时 日 月 周。留空表示仅手动运行。">
          <Input className="wj-mono" placeholder="例如 0 2 * * *" />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
        示例：<code>0 2 * * *</code> 每天 02:00；<code>*/15 * * * *</code> 每 15 分钟；<code>30 8 * * 1-5</code> 工作日 08:30；<code>0 3 1 * *</code> 每月 1 日
        03:00。
      </Typography.Paragraph>
    </Modal>
  );
}
