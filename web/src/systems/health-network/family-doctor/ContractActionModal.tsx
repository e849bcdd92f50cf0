import type { InstitutionPage, TeamPage } from '@server/systems/common/master-data/responses.ts';
import { Alert, Checkbox, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { RemoteSelect } from '../../../components/RemoteSelect';
import { CardFields, cardBody } from './CardFields';
import { type Contract, type ContractDetail, chancesText, type RenewalPreview } from './types';

export type ActionMode = 'renew' | 'transfer' | 'change-doctor' | 'hospitals' | 'terminate';

const TITLES: Record<ActionMode, string> = {
  renew: '续约',
  transfer: '社区内转签',
  'change-doctor': '跨社区更换家庭医生',
  hospitals: '更换上级医院',
  terminate: '解约',
};
const URLS: Record<ActionMode, string> = {
  renew: 'renew',
  transfer: 'internal-transfer',
  'change-doctor': 'change-doctor',
  hospitals: 'hospitals',
  terminate: 'terminate',
};

const institutions = (kind: string, district?: string) => async (q: string, signal: AbortSignal) =>
  (await api.get<InstitutionPage>('/institutions', { kind, district, q: q || undefined, pageSize: 50 }, signal)).items.map((i) => ({
    value: i.id,
    label: i.name,
  }));

/**
 * The acts on a contract. Changes and terminations show the rule text and the remaining chances first,
 * and need the doctor's confirmation that the resident was told; renewal shows the flexible-renewal options and why.
 */
export function ContractActionModal({
  mode,
  contract: c,
  onClose,
  onDone,
}: {
  mode: ActionMode;
  contract: ContractDetail;
  onClose(): void;
  onDone(c: Contract): void;
}) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ha = Form.useWatch('healthAssessmentUrl', form) as string | undefined;
  const pe = Form.useWatch('physicalExamUrl', form) as string | undefined;
  const institutionId = (Form.useWatch('institutionId', form) as number | undefined) ?? (mode === 'transfer' ? c.institutionId : undefined);
  const teamId = Form.useWatch('teamId', form) as number | undefined;
  const preview = useApi(
    (s) =>
      api.get<RenewalPreview>(
        `/family-doctor/contracts/${c.id}/flexible-renewal`,
        { withHealthAssessment: !!ha || !!c.healthAssessmentUrl, withPhysicalExam: !!pe || !!c.physicalExamUrl },
        s,
      ),
    [c.id, !!ha, !!pe],
    mode === 'renew',
  );
  const teams = useApi(
    (s) => api.get<TeamPage>('/teams', { institutionId, pageSize: 100 }, s),
    [institutionId],
    !!institutionId && (mode === 'transfer' || mode === 'change-doctor'),
  );
  const members = teams.data?.items.find((t) => t.id === teamId)?.members ?? [];
  const needsConsent = mode === 'change-doctor' || mode === 'hospitals' || mode === 'terminate';

  const submit = async () => {
    // A refused form shows its messages on the fields; the rejection must not escape as an unhandled error.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const { nonLocalCard, insuredPlace, insuranceCardNo, ...rest } = v;
      const body = {
        ...rest,
        ...(mode === 'renew' || mode === 'change-doctor' || mode === 'hospitals' ? cardBody({ nonLocalCard, insuredPlace, insuranceCardNo }) : {}),
      };
      if (needsConsent) body.residentInformed = !!v.residentInformed;
      if (mode === 'renew') {
        if (!body.healthAssessmentUrl) delete body.healthAssessmentUrl;
        if (!body.physicalExamUrl) delete body.physicalExamUrl;
      }
      if (mode === 'hospitals') {
        body.districtHospitalId = v.districtHospitalId ?? null;
        body.cityHospitalId = v.cityHospitalId ?? null;
      }
      onDone(await api.post<Contract>(`/family-doctor/contracts/${c.id}/${URLS[mode]}`, body));
    } catch (e) {
      applyFieldErrors(form, e);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const doctorFields = (
    <>
      <Form.Item name="teamId" label="家庭医生团队" rules={[{ required: true, message: '请选择团队' }]}>
        <Select
          options={(teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
          loading={teams.loading}
          onChange={() => form.setFieldsValue({ doctorId: undefined })}
        />
      </Form.Item>
      <Form.Item name="doctorId" label="家庭医生" rules={[{ required: true, message: '请选择家庭医生' }]}>
        <Select options={members.map((m) => ({ value: m.practitionerId, label: m.name }))} />
      </Form.Item>
    </>
  );
  const initiatorAndReason = (
    <>
      <Form.Item name="initiator" label="发起方" initialValue="resident">
        <Radio.Group
          options={[
            { value: 'resident', label: '居民' },
            { value: 'doctor', label: '医生' },
            { value: 'system', label: '系统' },
          ]}
        />
      </Form.Item>
      <Form.Item name="reason" label="原因" rules={[{ required: true, whitespace: true, message: '请填写原因' }]}>
        <Input.TextArea rows={2} maxLength={200} showCount />
      </Form.Item>
    </>
  );

  return (
    <Modal
      title={TITLES[mode]}
      open
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      okText={`确认${TITLES[mode]}`}
      width={640}
      data-testid="fd-action-modal"
    >
      {mode !== 'renew' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="签约变更规则"
          description={
            <>
              {c.rules.map((r) => (
                <div key={r}>{r}</div>
              ))}
              <Typography.Text strong>{chancesText(c.chances)}</Typography.Text>
            </>
          }
        />
      )}
      {mode === 'renew' && preview.data && (
        <Alert
          type={preview.data.allowed ? (preview.data.years.length > 1 ? 'success' : 'info') : 'error'}
          showIcon
          style={{ marginBottom: 12 }}
          title={preview.data.refusal ?? preview.data.reason}
          description={preview.data.conditions.map((x) => (
            <div key={x.code}>
              {x.met ? '✔' : '✘'} {x.title}（{x.detail}）
            </div>
          ))}
          data-testid="fd-renew-options"
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={mode === 'renew' ? { years: 1 } : { channel: 'offline' }}>
        {mode === 'renew' && (
          <>
            <Form.Item name="healthAssessmentUrl" label="健康评估报告链接" rules={[{ type: 'url', message: '请填写有效链接' }]}>
              <Input placeholder={c.healthAssessmentUrl ?? 'https://…'} maxLength={500} />
            </Form.Item>
            <Form.Item name="physicalExamUrl" label="体检报告链接（65 岁及以上）" rules={[{ type: 'url', message: '请填写有效链接' }]}>
              <Input placeholder={c.physicalExamUrl ?? 'https://…'} maxLength={500} />
            </Form.Item>
            <CardFields />
            <Form.Item name="years" label="续约年限">
              <Radio.Group options={[1, 2, 3].map((y) => ({ value: y, label: `${y} 年`, disabled: !(preview.data?.years ?? [1]).includes(y) }))} />
            </Form.Item>
          </>
        )}
        {mode === 'transfer' && (
          <>
            {doctorFields}
            {initiatorAndReason}
          </>
        )}
        {mode === 'change-doctor' && (
          <>
            <Form.Item name="institutionId" label="新签约社区卫生服务中心" rules={[{ required: true, message: '请选择' }]}>
              <RemoteSelect fetch={institutions('chc', c.districtCode)} />
            </Form.Item>
            {doctorFields}
            <Form.Item name="districtHospitalId" label="区级医院">
              <RemoteSelect fetch={institutions('district_hospital', c.districtCode)} />
            </Form.Item>
            <Form.Item name="cityHospitalId" label="市级医院">
              <RemoteSelect fetch={institutions('city_hospital')} />
            </Form.Item>
            <Form.Item name="channel" label="办理渠道">
              <Radio.Group
                options={[
                  { value: 'offline', label: '线下（新医生直接签约）' },
                  { value: 'online', label: '线上' },
                ]}
              />
            </Form.Item>
            <CardFields />
            {initiatorAndReason}
          </>
        )}
        {mode === 'hospitals' && (
          <>
            <Form.Item name="districtHospitalId" label="区级医院" initialValue={c.districtHospitalId ?? undefined}>
              <RemoteSelect fetch={institutions('district_hospital', c.districtCode)} placeholder={c.districtHospitalName ?? undefined} />
            </Form.Item>
            <Form.Item name="cityHospitalId" label="市级医院" initialValue={c.cityHospitalId ?? undefined}>
              <RemoteSelect fetch={institutions('city_hospital')} placeholder={c.cityHospitalName ?? undefined} />
            </Form.Item>
            <CardFields />
            {initiatorAndReason}
          </>
        )}
        {mode === 'terminate' && initiatorAndReason}
        {needsConsent && (
          <Form.Item
            name="residentInformed"
            valuePropName="checked"
            rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('请确认已告知居民'))) }]}
          >
            <Checkbox data-testid="fd-informed">已向居民告知上述时限和剩余次数，居民知情同意</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
