import type { InstitutionPage, TeamPage } from '@server/systems/common/master-data/responses.ts';
import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { RemoteSelect } from '../../../components/RemoteSelect';
import { type Contract, TRANSFER_REASON, type TransferRequest } from './types';

const chcs = (district: string) => async (q: string, signal: AbortSignal) =>
  (await api.get<InstitutionPage>('/institutions', { kind: 'chc', district, q: q || undefined, pageSize: 50 }, signal)).items.map((i) => ({
    value: i.id,
    label: i.name,
  }));

/**
 * 发起转签: the selected residents of one family doctor go to another doctor of the same centre or of
 * another centre of the same district; nothing moves until the receiving side accepts.
 */
export function TransferRequestModal({ contracts, onClose, onDone }: { contracts: Contract[]; onClose(): void; onDone(r: TransferRequest): void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = contracts[0];
  const institutionId = (Form.useWatch('institutionId', form) as number | undefined) ?? first?.institutionId;
  const teamId = Form.useWatch('toTeamId', form) as number | undefined;
  const teams = useApi((s) => api.get<TeamPage>('/teams', { institutionId, pageSize: 100 }, s), [institutionId], !!institutionId);
  const members = (teams.data?.items.find((t) => t.id === teamId)?.members ?? []).filter((m) => m.practitionerId !== first?.doctorId);
  const doctors = new Set(contracts.map((c) => c.doctorId));

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      onDone(
        await api.post<TransferRequest>('/family-doctor/transfer-requests', {
          contractIds: contracts.map((c) => c.id),
          toTeamId: v.toTeamId,
          toDoctorId: v.toDoctorId,
          reasonKind: v.reasonKind,
          reason: v.reason,
        }),
      );
    } catch (e) {
      applyFieldErrors(form, e);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title="发起转签"
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText="提交转签申请"
      okButtonProps={{ disabled: doctors.size !== 1 }}
      destroyOnHidden
      width={560}
    >
      {doctors.size !== 1 ? (
        <Alert type="warning" showIcon title="一次转签只能选择同一位家庭医生的签约居民" style={{ marginBottom: 12 }} />
      ) : (
        <Typography.Paragraph>
          将 {first?.doctorName ?? first?.doctorId} 的 {contracts.length}{' '}
          位签约居民转给其他家庭医生。可转给本社区，或本区其他社区的家庭医生；接收方接收后签约随之转移（签约周期和上级医院不变），拒绝则不变。
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ institutionId: first?.institutionId, reasonKind: 'retire' }}>
        <Form.Item name="institutionId" label="接收社区卫生服务中心" rules={[{ required: true, message: '请选择接收机构' }]}>
          <RemoteSelect
            fetch={chcs(first?.districtCode ?? '')}
            placeholder={first?.institutionName ?? undefined}
            onChange={() => form.setFieldsValue({ toTeamId: undefined, toDoctorId: undefined })}
          />
        </Form.Item>
        <Form.Item name="toTeamId" label="接收团队" rules={[{ required: true, message: '请选择接收团队' }]}>
          <Select
            options={(teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
            loading={teams.loading}
            onChange={() => form.setFieldsValue({ toDoctorId: undefined })}
          />
        </Form.Item>
        <Form.Item name="toDoctorId" label="接收家庭医生" rules={[{ required: true, message: '请选择接收医生' }]}>
          <Select options={members.map((m) => ({ value: m.practitionerId, label: m.name }))} data-testid="fd-transfer-doctor" />
        </Form.Item>
        <Form.Item name="reasonKind" label="转签原因" rules={[{ required: true }]}>
          <Select options={Object.entries(TRANSFER_REASON).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="reason" label="说明" rules={[{ required: true, message: '请填写说明' }, { max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
