import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import type { RevealedResident } from '@server/systems/common/resident-index/responses.ts';

/** 调阅: unmasking a resident needs a stated reason; the server records it in the audit log. */
export function RevealModal({
  residentId,
  name,
  open,
  onClose,
  onRevealed,
}: {
  residentId: number;
  name: string;
  open: boolean;
  onClose(): void;
  onRevealed(r: RevealedResident, reason: string): void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<RevealedResident>(`/residents/${residentId}/reveal`, { reason: reason.trim() });
      onRevealed(r, reason.trim());
      form.resetFields();
    } catch (e) {
      if (!applyFieldErrors(form, e).length && !(e as { details?: unknown[] }).details?.length) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={`调阅「${name}」的完整信息`} open={open} onOk={submit} onCancel={onClose} confirmLoading={busy} okText="确认调阅" forceRender>
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title="调阅完整身份证号、手机号和住址将记入审计日志（含调阅人、时间和原因），请仅在工作需要时调阅。"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" data-testid="reveal-form">
        <Form.Item
          name="reason"
          label="调阅原因"
          rules={[
            { required: true, message: '请填写调阅原因' },
            { whitespace: true, message: '请填写调阅原因' },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：家庭医生签约核实身份信息" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
