import type { InstitutionPage, TeamPage } from '@server/systems/common/master-data/responses.ts';
import { MinusCircleOutlined, PlusOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Descriptions, Drawer, Form, Input, Radio, Segmented, Select, Space, Tag, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { useSession } from '../../../app/session';
import { useApi } from '../../../app/use-api';
import { RemoteSelect } from '../../../components/RemoteSelect';
import { CardFields, cardBody } from './CardFields';
import type { Contract, SignLookup, SignResult } from '@server/systems/health-network/family-doctor/responses.ts';
import { COLOUR, type Colour } from './types';

type Resident = SignLookup['resident'];
/** What the drawer keeps of the lookup (UI state). */
interface PersonChances {
  colour: Colour | null;
  maySign: boolean;
  /** The contract in force (possibly another doctor's), as the 签约查找 shows it. */
  holder: string | null;
  contractId: number | null;
}
const institutions = (kind: string, district?: string) => async (q: string, signal: AbortSignal) =>
  (await api.get<InstitutionPage>('/institutions', { kind, district, q: q || undefined, pageSize: 50 }, signal)).items.map((i) => ({
    value: i.id,
    label: i.name,
  }));

type SignMode = 'normal' | 'special' | 'auth' | 'change';
const SPECIAL_REASONS = [
  { value: 'relocation', label: '居住地变更' },
  { value: 'family', label: '家庭原因（随家属签约等）' },
  { value: 'doctor_unavailable', label: '原家庭医生无法继续服务' },
  { value: 'other', label: '其他特殊原因' },
];

async function fileBase64(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * 新签约: find the resident by ID number, check they are free to sign, then choose the "1+1+1" combination.
 * A resident the plain rule refuses can still be signed as a special case (特殊原因新签, with a proof) or
 * with an authorization code (授权码签约) issued by the community admin.
 */
export function SignDrawer({ open, onClose, onSigned }: { open: boolean; onClose(): void; onSigned(c: Contract): void }) {
  const { user } = useSession();
  const [form] = Form.useForm();
  const { message, modal } = App.useApp();
  const [mode, setMode] = useState<SignMode>('normal');
  const [proof, setProof] = useState<File | null>(null);
  const { districtName } = useDistrictFilter();
  const [resident, setResident] = useState<Resident | null>(null);
  const [chances, setChances] = useState<PersonChances | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const institutionId = Form.useWatch('institutionId', form) as number | undefined;
  const teamId = Form.useWatch('teamId', form) as number | undefined;
  const teams = useApi((s) => api.get<TeamPage>('/teams', { institutionId, pageSize: 100 }, s), [institutionId], !!institutionId);
  const members = teams.data?.items.find((t) => t.id === teamId)?.members ?? [];
  // A doctor signing at their own centre: once its teams are known, their team and themselves.
  const myPractitionerId = user?.scope.practitionerId;
  useEffect(() => {
    if (!myPractitionerId || !resident || form.getFieldValue('teamId')) return;
    const mine = teams.data?.items.find((t) => t.members.some((m) => m.practitionerId === myPractitionerId));
    if (mine) form.setFieldsValue({ teamId: mine.id, doctorId: myPractitionerId });
  }, [teams.data, myPractitionerId, resident, form]);

  const [lookupName, setLookupName] = useState('');
  // 签约查找: exact ID number + name finds the resident also before they are in the user's scope (audited).
  const lookup = async (idNumber: string) => {
    setLookupError(null);
    setResident(null);
    setChances(null);
    const id = idNumber.trim().toUpperCase();
    if (!/^\d{17}[\dX]$/.test(id)) return setLookupError('请输入 18 位居民身份证号码');
    if (!lookupName.trim()) return setLookupError('请同时输入居民姓名（与证件一致）');
    try {
      const r = await api.get<SignLookup>('/family-doctor/sign-lookup', { idNumber: id, name: lookupName.trim() });
      const p = r.resident;
      setResident(p);
      setChances({
        colour: r.contract?.colour ?? null,
        maySign: r.maySign,
        contractId: r.contract?.id ?? null,
        holder: r.contract ? `${r.contract.institutionName ?? ''} ${r.contract.doctorName ?? ''}`.trim() : null,
      });
      // A doctor or centre staff signs for their own centre (and team, as themselves): fill those in; others
      // start from the centre that manages the resident.
      const own = user?.scope;
      if (own?.institutionId) {
        form.setFieldsValue({ institutionId: own.institutionId, ...(own.teamId ? { teamId: own.teamId, doctorId: own.practitionerId ?? undefined } : {}) });
      } else if (p.managingInstitutionId) form.setFieldsValue({ institutionId: p.managingInstitutionId });
    } catch (e) {
      setLookupError(errorText(e));
    }
  };

  const submit = async () => {
    // A refused form shows its messages on the fields; the rejection must not escape as an unhandled error.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const { specialReason, specialReasonText, authCode, insuranceCardNo, insuredPlace, nonLocalCard, ...rest } = v;
      const body: Record<string, unknown> = {
        ...rest,
        personId: resident?.id,
        emergencyContacts: v.emergencyContacts ?? [],
        ...cardBody({ nonLocalCard, insuredPlace, insuranceCardNo }),
      };
      let url = '/family-doctor/contracts';
      if (mode === 'change') {
        // 跨社区更换家庭医生 (offline) by the receiving side, for a resident found by 签约查找 (personId proves the lookup).
        const { institutionId, teamId, doctorId, districtHospitalId, cityHospitalId, channel, initiator, reason, residentInformed } = v;
        const c = await api.post<Contract>(`/family-doctor/contracts/${chances?.contractId}/change-doctor`, {
          institutionId,
          teamId,
          doctorId,
          districtHospitalId,
          cityHospitalId,
          channel,
          initiator,
          reason,
          residentInformed: !!residentInformed,
          personId: resident?.id,
          ...cardBody({ nonLocalCard, insuredPlace, insuranceCardNo }),
        });
        message.success('已更换家庭医生，原签约已解约');
        form.resetFields();
        setMode('normal');
        setResident(null);
        setChances(null);
        onSigned(c);
        return;
      }
      if (mode === 'special') {
        if (!proof) throw new Error('请上传特殊原因证明材料');
        Object.assign(body, { specialReason, specialReasonText, proof: { filename: proof.name, mime: proof.type, contentBase64: await fileBase64(proof) } });
      }
      if (mode === 'auth') Object.assign(body, { authCode });
      if (mode !== 'normal') url = mode === 'special' ? '/family-doctor/contracts/special' : '/family-doctor/contracts/by-auth-code';
      const c = await api.post<SignResult>(url, body);
      if (c.warnings.length) modal.warning({ title: '签约成功，请注意', content: c.warnings.join('\n') });
      else message.success('签约成功，协议书已生成');
      form.resetFields();
      setMode('normal');
      setProof(null);
      setResident(null);
      setChances(null);
      onSigned(c);
    } catch (e) {
      if (!applyFieldErrors(form, e).length) setError(errorText(e));
      else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const blocked = chances !== null && !chances.maySign && mode === 'normal';
  return (
    <Drawer
      title="新签约"
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      data-testid="fd-sign-drawer"
      extra={
        <Button type="primary" onClick={submit} loading={busy} disabled={!resident || blocked} data-testid="fd-sign-submit">
          确认签约
        </Button>
      }
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            placeholder="居民姓名"
            value={lookupName}
            onChange={(e) => setLookupName(e.target.value)}
            maxLength={50}
            style={{ width: 160 }}
            data-testid="fd-sign-name"
          />
          <Input.Search placeholder="居民身份证号" enterButton={<SearchOutlined />} onSearch={lookup} className="wj-mono" data-testid="fd-sign-id" />
        </Space.Compact>
        {lookupError && <Alert type="warning" showIcon title={lookupError} />}
        {resident && (
          <Descriptions
            bordered
            size="small"
            column={2}
            items={[
              { key: 'name', label: '姓名', children: resident.name },
              { key: 'age', label: '年龄', children: resident.age },
              { key: 'id', label: '身份证号', children: <span className="wj-mono">{resident.idNumberMasked}</span> },
              { key: 'district', label: '居住区', children: districtName(resident.residenceDistrict) },
              {
                key: 'colour',
                label: '签约状态',
                span: 2,
                children: chances?.colour ? (
                  <Space>
                    <Tag color={COLOUR[chances.colour].color}>
                      {COLOUR[chances.colour].text}·{COLOUR[chances.colour].hint}
                    </Tag>
                    {chances.holder && <span>{chances.holder}</span>}
                  </Space>
                ) : (
                  '未签约'
                ),
              },
            ]}
          />
        )}
        {resident && (
          <Segmented<SignMode>
            value={mode}
            onChange={setMode}
            options={[
              { value: 'normal', label: '普通签约' },
              { value: 'special', label: '特殊原因新签' },
              { value: 'auth', label: '授权码签约' },
              ...(chances?.contractId && !chances.maySign ? [{ value: 'change' as const, label: '更换家庭医生（跨社区）' }] : []),
            ]}
            data-testid="fd-sign-mode"
          />
        )}
        {blocked && (
          <Alert
            type="error"
            showIcon
            title="该居民已有有效签约（绿色或黄色），不能重复签约；黄色居民请办理续约。特殊情况可选择“特殊原因新签”（须上传证明）或“授权码签约”。"
          />
        )}
        {mode === 'change' && <Alert type="info" showIcon title="由新签约机构办理：原签约以“更换家庭医生”解约，新签约即日生效（变更签约年内限 1 次）。" />}
        {(mode === 'special' || mode === 'auth') && chances && !chances.maySign && (
          <Alert
            type="warning"
            showIcon
            title={mode === 'special' ? '办理后，居民现有签约将以“特殊原因新签”解约。' : '办理后，居民现有签约将由系统以“授权码签约”解约。'}
          />
        )}
        {chances?.colour === 'red' && <Alert type="info" showIcon title="该居民签约已过期超过宽限期（红色），可作为新居民重新签约，原签约将由系统记为解约。" />}
        {error && <Alert type="error" showIcon title={error} />}
        <Form form={form} layout="vertical" disabled={!resident || blocked} initialValues={{ channel: 'offline' }} data-testid="fd-sign-form">
          <Form.Item name="institutionId" label="签约社区卫生服务中心" rules={[{ required: true, message: '请选择社区卫生服务中心' }]}>
            <RemoteSelect fetch={institutions('chc', resident?.residenceDistrict)} deps={[resident?.residenceDistrict]} placeholder="社区卫生服务中心" />
          </Form.Item>
          <Space style={{ width: '100%' }} align="start">
            <Form.Item name="teamId" label="家庭医生团队" rules={[{ required: true, message: '请选择团队' }]}>
              <Select
                style={{ width: 260 }}
                placeholder="团队"
                loading={teams.loading}
                options={(teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
                onChange={() => form.setFieldsValue({ doctorId: undefined })}
              />
            </Form.Item>
            <Form.Item name="doctorId" label="家庭医生" rules={[{ required: true, message: '请选择家庭医生' }]}>
              <Select style={{ width: 260 }} placeholder="团队成员" options={members.map((m) => ({ value: m.practitionerId, label: m.name }))} />
            </Form.Item>
          </Space>
          <Form.Item name="districtHospitalId" label="区级医院">
            <RemoteSelect fetch={institutions('district_hospital', resident?.residenceDistrict)} deps={[resident?.residenceDistrict]} placeholder="区级医院" />
          </Form.Item>
          <Form.Item name="cityHospitalId" label="市级医院">
            <RemoteSelect fetch={institutions('city_hospital')} placeholder="市级医院" />
          </Form.Item>
          <CardFields />
          {mode === 'special' && (
            <>
              <Form.Item name="specialReason" label="特殊原因" rules={[{ required: true, message: '请选择特殊原因' }]}>
                <Select options={SPECIAL_REASONS} />
              </Form.Item>
              <Form.Item name="specialReasonText" label="情况说明" rules={[{ required: true, min: 2, message: '请填写情况说明' }]}>
                <Input.TextArea maxLength={200} rows={2} />
              </Form.Item>
              <Form.Item label="证明材料（PDF/PNG/JPEG，不超过 2 MB）" required>
                <Upload
                  accept=".pdf,.png,.jpg,.jpeg"
                  maxCount={1}
                  beforeUpload={(f) => {
                    setProof(f);
                    return false;
                  }}
                  onRemove={() => setProof(null)}
                >
                  <Button icon={<UploadOutlined />}>选择文件</Button>
                </Upload>
              </Form.Item>
            </>
          )}
          {mode === 'change' && (
            <>
              <Form.Item name="initiator" label="发起方" initialValue="resident">
                <Radio.Group
                  options={[
                    { value: 'resident', label: '居民' },
                    { value: 'doctor', label: '医生' },
                  ]}
                />
              </Form.Item>
              <Form.Item name="reason" label="更换原因" rules={[{ required: true, whitespace: true, message: '请填写原因' }]}>
                <Input maxLength={200} placeholder="如：居住地变更" />
              </Form.Item>
              <Form.Item
                name="residentInformed"
                valuePropName="checked"
                rules={[{ validator: (_, x) => (x ? Promise.resolve() : Promise.reject(new Error('请确认已告知居民'))) }]}
              >
                <Checkbox>已向居民告知变更签约年内跨社区更换次数限制，居民知情同意</Checkbox>
              </Form.Item>
            </>
          )}
          {mode === 'auth' && (
            <Form.Item name="authCode" label="授权码" rules={[{ required: true, message: '请输入社区管理员签发的授权码' }]}>
              <Input maxLength={20} className="wj-mono" style={{ width: 200 }} />
            </Form.Item>
          )}
          <Form.Item name="channel" label="签约渠道">
            <Radio.Group
              options={[
                { value: 'offline', label: '线下' },
                { value: 'online', label: '线上' },
              ]}
            />
          </Form.Item>
          {mode !== 'change' && (
            <Form.List name="emergencyContacts">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'name']} rules={[{ required: true, message: '姓名' }]}>
                        <Input placeholder="紧急联系人" maxLength={50} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'phone']} rules={[{ required: true, pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, message: '电话格式不正确' }]}>
                        <Input placeholder="电话" maxLength={20} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'relation']} initialValue="子女">
                        <Select style={{ width: 100 }} options={['配偶', '子女', '父母', '其他'].map((x) => ({ value: x, label: x }))} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  {fields.length < 3 && (
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                      添加紧急联系人
                    </Button>
                  )}
                </>
              )}
            </Form.List>
          )}
        </Form>
      </Space>
    </Drawer>
  );
}
