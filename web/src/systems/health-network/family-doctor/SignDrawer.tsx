import { MinusCircleOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Form, Input, Radio, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import type { Page } from '../../../app/types';
import { useApi } from '../../../app/use-api';
import { RemoteSelect } from '../../../components/RemoteSelect';
import { COLOUR, type Colour, type Contract } from './types';

interface Resident {
  id: number;
  name: string;
  age: number;
  idNumberMasked: string;
  residenceDistrict: string;
  status: 'alive' | 'dead';
  managingInstitutionId: number | null;
}
interface PersonChances {
  colour: Colour | null;
  maySign: boolean;
  rules: string[];
}
interface Team {
  id: number;
  name: string;
  members: { practitionerId: number; name: string; role: string }[];
}

const institutions = (kind: string, district?: string) => async (q: string, signal: AbortSignal) =>
  (await api.get<Page<{ id: number; name: string }>>('/institutions', { kind, district, q: q || undefined, pageSize: 50 }, signal)).items.map((i) => ({ value: i.id, label: i.name }));

/** 新签约: find the resident by ID number, check they are free to sign, then choose the "1+1+1" combination. */
export function SignDrawer({ open, onClose, onSigned }: { open: boolean; onClose(): void; onSigned(c: Contract): void }) {
  const [form] = Form.useForm();
  const { districtName } = useDistrictFilter();
  const [resident, setResident] = useState<Resident | null>(null);
  const [chances, setChances] = useState<PersonChances | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const institutionId = Form.useWatch('institutionId', form) as number | undefined;
  const teamId = Form.useWatch('teamId', form) as number | undefined;
  const teams = useApi((s) => api.get<Page<Team>>('/teams', { institutionId, pageSize: 100 }, s), [institutionId], !!institutionId);
  const members = teams.data?.items.find((t) => t.id === teamId)?.members ?? [];

  const lookup = async (idNumber: string) => {
    setLookupError(null);
    setResident(null);
    setChances(null);
    try {
      const r = await api.get<Page<Resident>>('/residents', { idNumber: idNumber.trim().toUpperCase() });
      const p = r.items[0];
      if (!p) return setLookupError('未找到该居民（或不在您的数据权限范围内），请先在居民主索引建档');
      setResident(p);
      setChances(await api.get<PersonChances>(`/family-doctor/residents/${p.id}/chances`));
      if (p.managingInstitutionId) form.setFieldsValue({ institutionId: p.managingInstitutionId });
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
      const c = await api.post<Contract>('/family-doctor/contracts', { ...v, personId: resident?.id, emergencyContacts: v.emergencyContacts ?? [] });
      form.resetFields();
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

  const blocked = chances !== null && !chances.maySign;
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
        <Input.Search placeholder="居民身份证号" enterButton={<SearchOutlined />} onSearch={lookup} className="wj-mono" data-testid="fd-sign-id" />
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
                children: chances?.colour ? <Tag color={COLOUR[chances.colour].color}>{COLOUR[chances.colour].text}·{COLOUR[chances.colour].hint}</Tag> : '未签约',
              },
            ]}
          />
        )}
        {blocked && <Alert type="error" showIcon title="该居民已有有效签约（绿色或黄色），不能重复签约；黄色居民请办理续约。" />}
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
          <Form.Item name="channel" label="签约渠道">
            <Radio.Group options={[{ value: 'offline', label: '线下' }, { value: 'online', label: '线上' }]} />
          </Form.Item>
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
        </Form>
      </Space>
    </Drawer>
  );
}
