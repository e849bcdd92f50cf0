import { EyeOutlined } from '@ant-design/icons';
import { Button, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import type { MaskedContact } from '@server/systems/health-network/family-doctor/responses.ts';

/**
 * 紧急联系人: phones masked as stored; 调阅 (with a reason, recorded in the audit log) shows them in clear
 * for this drawer only.
 */
export function EmergencyContacts({ contractId, contacts, canReveal }: { contractId: number; contacts: MaskedContact[]; canReveal: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [full, setFull] = useState<{ name: string; phone: string; relation: string }[] | null>(null);
  if (!contacts.length) return <>—</>;
  const reveal = async () => {
    setBusy(true);
    setError(null);
    try {
      setFull(
        (
          await api.post<{ items: { name: string; phone: string; relation: string }[] }>(`/family-doctor/contracts/${contractId}/emergency-contacts/reveal`, {
            reason: reason.trim(),
          })
        ).items,
      );
      setOpen(false);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space wrap data-testid="fd-contacts">
      <span className="wj-mono">{(full ?? contacts).map((x) => `${x.name}（${x.relation}）${'phone' in x ? x.phone : x.phoneMasked}`).join('；')}</span>
      {canReveal && !full && (
        <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="fd-contacts-reveal">
          调阅电话
        </Button>
      )}
      <Modal
        title="调阅紧急联系人电话"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={reveal}
        okButtonProps={{ disabled: !reason.trim(), loading: busy }}
        okText="调阅"
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">调阅原因将记入审计日志。</Typography.Paragraph>
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={200}
          rows={2}
          placeholder="如：联系家属告知随访安排"
          data-testid="fd-contacts-reason"
        />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Modal>
    </Space>
  );
}
