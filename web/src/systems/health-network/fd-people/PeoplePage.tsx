import type { InstitutionDetail, InstitutionPage, PractitionerPage, Team, TeamPage } from '@server/systems/common/master-data/responses.ts';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useAccess } from '../../../app/access';
import { api, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { useSession } from '../../../app/session';
import { useDistrictFilter } from '../../../app/district-filter';
import { useApi } from '../../../app/use-api';
import { DownloadButton } from '../../../components/DownloadButton';
import { type Option, RemoteSelect } from '../../../components/RemoteSelect';
import { ErrorAlert } from '../../../components/page-states';
import type { AssistantCreated, SyncQueued, SyncRun, ViewAccountCreated, SyncRuns } from '@server/systems/health-network/fd-people/responses.ts';

/**
 * 人员与团队: family doctors synced from the QC platform, team maintenance (members, managed 居委),
 * doctor-assistant accounts (data range: one team), personal signature image, community seal image,
 * operation manual download.
 */

/** Pickers by name (a newcomer does not know numeric ids): institutions of a kind, family doctors, teams. */
const institutionsOf =
  (kind: string) =>
  async (q: string, signal: AbortSignal): Promise<Option[]> => {
    const r = await api.get<InstitutionPage>('/institutions', { kind, q: q || undefined, pageSize: 50 }, signal);
    return r.items.map((i) => ({ value: i.id, label: i.name }));
  };
const familyDoctors =
  (institutionId: number | null) =>
  async (q: string, signal: AbortSignal): Promise<Option[]> => {
    const r = await api.get<PractitionerPage>(
      '/practitioners',
      { familyDoctor: true, institutionId: institutionId ?? undefined, q: q || undefined, pageSize: 50 },
      signal,
    );
    return r.items.map((p) => ({ value: p.id, label: p.institutionName ? `${p.name}（${p.institutionName}）` : p.name }));
  };
const teamsOf =
  (institutionId: number | null) =>
  async (q: string, signal: AbortSignal): Promise<Option[]> => {
    const r = await api.get<TeamPage>('/teams', { institutionId: institutionId ?? undefined, pageSize: 100 }, signal);
    return r.items
      .filter((t) => !q || t.name.includes(q))
      .map((t) => ({ value: t.id, label: t.institutionName ? `${t.name}（${t.institutionName}）` : t.name }));
  };

/** The user's own institution by name, for the pickers fixed to it. */
function useOwnInstitutionName(): string | undefined {
  const { user } = useSession();
  const id = user?.scope.institutionId;
  const r = useApi((signal) => api.get<InstitutionDetail>(`/institutions/${id}`, undefined, signal), [id], !!id);
  return r.data?.name;
}

const toBase64 = async (f: File) => {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
};

/** An image behind the session (GET with the cookie), shown from a blob URL. */
function AuthedImage({ url, alt, reloadKey }: { url: string; alt: string; reloadKey: number }) {
  const [src, setSrc] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey refetches the same URL
  useEffect(() => {
    let revoke: string | null = null;
    setMissing(false);
    fetch(url, { credentials: 'same-origin' }).then(
      async (r) => {
        if (!r.ok || r.status === 204) return setMissing(true);
        revoke = URL.createObjectURL(await r.blob());
        setSrc(revoke);
      },
      () => setMissing(true),
    );
    return () => {
      if (revoke) URL.revokeObjectURL(revoke);
    };
  }, [url, reloadKey]);
  if (missing) return <Typography.Text type="secondary">尚未上传</Typography.Text>;
  return src ? <img src={src} alt={alt} style={{ maxHeight: 120, border: '1px solid #f0f0f0', padding: 4 }} /> : null;
}

function Sync() {
  const { message } = App.useApp();
  const [key, setKey] = useState(0);
  const runs = useApi((signal) => api.get<SyncRuns>('/fd-people/qc-sync/runs', undefined, signal), [key]);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const r = await api.post<SyncQueued>('/fd-people/qc-sync');
      message.success(`已排队同步（任务 #${r.runId}），完成后在下方同步记录中查看结果`);
      setTimeout(() => setKey((k) => k + 1), 3000);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        message="家庭医生以家庭医生质控平台为准，每天 02:30 自动同步：新增医生自动建立医务人员档案和账号（首次登录修改密码、绑定动态口令），变更的医生自动更新。"
      />
      <Button type="primary" loading={busy} onClick={run}>
        立即同步
      </Button>
      {runs.error ? <ErrorAlert error={runs.error} onRetry={runs.reload} /> : null}
      <Table<SyncRun>
        rowKey="id"
        size="small"
        loading={runs.loading}
        dataSource={runs.data?.items ?? []}
        columns={[
          { title: '时间', dataIndex: 'startedAt', render: (v: string) => fmtTime(v) },
          { title: '发起', dataIndex: 'triggeredBy' },
          { title: '取得', dataIndex: 'fetched' },
          { title: '新增', dataIndex: 'created' },
          { title: '变更', dataIndex: 'updated' },
          { title: '未变', dataIndex: 'unchanged' },
          { title: '新开账号', dataIndex: 'accountsCreated' },
          {
            title: '问题',
            dataIndex: 'errors',
            render: (v: SyncRun['errors']) =>
              v.length
                ? v.map((e) => (
                    <div key={e.qcId}>
                      <Tag color="red">{e.qcId}</Tag>
                      {e.message}
                    </div>
                  ))
                : '—',
          },
        ]}
      />
    </Space>
  );
}

function Teams() {
  const { message } = App.useApp();
  const access = useAccess();
  const { user } = useSession();
  const [institutionId, setInstitutionId] = useState<number | null>(user?.scope.institutionId ?? null);
  const ownInstitution = useOwnInstitutionName();
  const [key, setKey] = useState(0);
  const teams = useApi(
    (signal) => api.get<TeamPage>('/teams', { institutionId: institutionId ?? undefined, pageSize: 100 }, signal),
    [institutionId, key],
    !!institutionId,
  );
  const people = useApi(
    (signal) => api.get<PractitionerPage>('/practitioners', { institutionId: institutionId ?? undefined, pageSize: 100 }, signal),
    [institutionId],
    !!institutionId,
  );
  const [editing, setEditing] = useState<Team | null>(null);
  const [members, setMembers] = useState<number[]>([]);
  const [leader, setLeader] = useState<number | null>(null);
  const [codes, setCodes] = useState<string[]>([]);
  const edit = (t: Team) => {
    setEditing(t);
    setMembers(t.members.map((m) => m.practitionerId));
    setLeader(t.leaderId);
    setCodes(t.communityCodes);
  };
  const save = async () => {
    if (!editing) return;
    try {
      await api.patch(`/fd-people/teams/${editing.id}`, { memberIds: members, communityCodes: codes, ...(leader ? { leaderId: leader } : {}) });
      message.success('团队已保存');
      setEditing(null);
      setKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const options = (people.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}${p.title ? `（${p.title}）` : ''}` }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <RemoteSelect
          aria-label="社区卫生服务中心"
          fetch={institutionsOf('chc')}
          placeholder="选择社区卫生服务中心（可输入名称搜索）"
          value={institutionId}
          onChange={(v) => setInstitutionId(typeof v === 'number' ? v : null)}
          style={{ width: 320 }}
          disabled={!!user?.scope.institutionId}
          initialLabel={ownInstitution}
        />
      </Space>
      {!institutionId ? <Typography.Text type="secondary">请选择社区卫生服务中心，查看和维护其家庭医生团队。</Typography.Text> : null}
      <Space></Space>
      {teams.error ? <ErrorAlert error={teams.error} onRetry={teams.reload} /> : null}
      <Table<Team>
        rowKey="id"
        size="small"
        loading={teams.loading}
        dataSource={teams.data?.items ?? []}
        columns={[
          { title: '团队', dataIndex: 'name' },
          {
            title: '成员',
            dataIndex: 'members',
            render: (v: Team['members']) =>
              v.map((m) => (
                <Tag key={m.practitionerId} color={m.role === 'leader' ? 'blue' : undefined}>
                  {m.name}
                </Tag>
              )),
          },
          {
            title: '管辖居委',
            dataIndex: 'communities',
            render: (v: Team['communities']) => (v.length ? v.map((c) => <Tag key={c.code}>{c.name}</Tag>) : '—'),
          },
          {
            title: '操作',
            key: 'op',
            fixed: 'right',
            render: (_, t) =>
              access.can('fd-people.manage') ? (
                <Button size="small" type="link" onClick={() => edit(t)}>
                  维护
                </Button>
              ) : null,
          },
        ]}
        scroll={{ x: 'max-content' }}
      />
      {editing ? (
        <Card
          size="small"
          title={`维护团队：${editing.name}`}
          extra={
            <Space>
              <Button onClick={() => setEditing(null)}>取消</Button>
              <Button type="primary" onClick={save}>
                保存
              </Button>
            </Space>
          }
        >
          <Form layout="vertical">
            <Form.Item label="团队长">
              <Select value={leader ?? undefined} onChange={setLeader} options={options} style={{ width: 320 }} />
            </Form.Item>
            <Form.Item label="成员">
              <Select mode="multiple" value={members} onChange={setMembers} options={options} />
            </Form.Item>
            <Form.Item label="管辖居委（居委代码，12 位）">
              <Select mode="tags" value={codes} onChange={setCodes} tokenSeparators={[',', ' ']} />
            </Form.Item>
          </Form>
        </Card>
      ) : null}
    </Space>
  );
}

function Assistants() {
  const { message, modal } = App.useApp();
  const { user } = useSession();
  const [form] = Form.useForm();
  const create = async () => {
    const v = await form.validateFields();
    try {
      const r = await api.post<AssistantCreated>('/fd-people/assistants', v);
      modal.success({
        title: '家医助理账号已开设',
        content: (
          <div>
            <p>团队：{r.teamName}</p>
            <p>用户名：{r.username}</p>
            <p>
              初始密码：
              <Typography.Text code copyable>
                {r.password}
              </Typography.Text>
              （仅显示一次，首次登录须修改）
            </p>
            <p>{r.dataRange}</p>
          </div>
        ),
      });
      form.resetFields();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        message="家医助理账号绑定一个家庭医生团队，数据范围为该团队签约的居民（签约、续约、报告上传、体检预约、上门访视、住院提醒），不能办理解约，不能查看其他团队的数据。"
      />
      <Form form={form} layout="inline">
        <Form.Item name="teamId" rules={[{ required: true, message: '请选择团队' }]}>
          <RemoteSelect aria-label="家庭医生团队" fetch={teamsOf(user?.scope.institutionId ?? null)} placeholder="家庭医生团队" style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="username" rules={[{ required: true, message: '请填写用户名' }]}>
          <Input aria-label="用户名" placeholder="用户名" maxLength={32} />
        </Form.Item>
        <Form.Item name="displayName" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input aria-label="姓名" placeholder="姓名" maxLength={64} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" onClick={create}>
            开设账号
          </Button>
        </Form.Item>
      </Form>
    </Space>
  );
}

function ViewAccounts() {
  const { message, modal } = App.useApp();
  const { districts } = useDistrictFilter();
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form);
  const create = async () => {
    const v = await form.validateFields();
    try {
      const r = await api.post<ViewAccountCreated>('/fd-people/view-accounts', v);
      modal.success({
        title: '查看账号已开设',
        content: (
          <div>
            <p>
              用户名：{r.username}（{r.role === 'auditor' ? '区级查看' : '医院查看'}）
            </p>
            <p>
              初始密码：
              <Typography.Text code copyable>
                {r.password}
              </Typography.Text>
              （仅显示一次）
            </p>
          </div>
        ),
      });
      form.resetFields();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon message="区级查看账号只能查看本区的报表和记录，医院查看账号绑定区级或市级医院；两类账号都不能办理签约业务。" />
      <Form form={form} layout="inline" initialValues={{ kind: 'district' }}>
        <Form.Item name="kind">
          <Select
            aria-label="账号类别"
            style={{ width: 140 }}
            options={[
              { value: 'district', label: '区级查看' },
              { value: 'hospital', label: '医院查看' },
            ]}
          />
        </Form.Item>
        {kind === 'hospital' ? (
          <Form.Item name="institutionId" rules={[{ required: true, message: '请选择医院' }]}>
            <RemoteSelect aria-label="医院" fetch={hospitals} placeholder="区级或市级医院" style={{ width: 260 }} />
          </Form.Item>
        ) : (
          <Form.Item name="districtCode" rules={[{ required: true, message: '请选择区' }]}>
            <Select aria-label="区" placeholder="选择区" style={{ width: 160 }} options={districts.map((d) => ({ value: d.code, label: d.name }))} />
          </Form.Item>
        )}
        <Form.Item name="username" rules={[{ required: true, message: '请填写用户名' }]}>
          <Input aria-label="用户名" placeholder="用户名" maxLength={32} />
        </Form.Item>
        <Form.Item name="displayName" rules={[{ required: true, message: '请填写名称' }]}>
          <Input aria-label="名称" placeholder="名称" maxLength={64} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" onClick={create}>
            开设账号
          </Button>
        </Form.Item>
      </Form>
    </Space>
  );
}

/** District and city hospitals (a hospital view account binds one of them). */
const hospitals = async (q: string, signal: AbortSignal): Promise<Option[]> => {
  const [d, c] = await Promise.all([institutionsOf('district_hospital')(q, signal), institutionsOf('city_hospital')(q, signal)]);
  return [...d, ...c];
};

function ImageUpload({ label, getUrl, putUrl, canPut }: { label: string; getUrl: string; putUrl: string; canPut: boolean }) {
  const { message } = App.useApp();
  const [key, setKey] = useState(0);
  const upload = async (f: File | undefined) => {
    if (!f) return;
    try {
      await api.put(putUrl, { imageBase64: await toBase64(f) });
      message.success(`${label}已更新`);
      setKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Space orientation="vertical">
      <AuthedImage url={`/api/v1${getUrl}`} alt={label} reloadKey={key} />
      {canPut ? <input type="file" accept="image/png" aria-label={`上传${label}`} onChange={(e) => upload(e.target.files?.[0])} /> : null}
      <Typography.Text type="secondary">PNG 图片，不超过 512 KB</Typography.Text>
    </Space>
  );
}

export function PeoplePage() {
  const access = useAccess();
  const { user } = useSession();
  const [doctorId, setDoctorId] = useState<number | null>(user?.scope.practitionerId ?? null);
  const [instId, setInstId] = useState<number | null>(user?.scope.institutionId ?? null);
  const ownInstitution = useOwnInstitutionName();
  const items = [
    ...(access.can('fd-people.sync') ? [{ key: 'sync', label: '家庭医生同步', children: <Sync /> }] : []),
    { key: 'teams', label: '团队维护', children: <Teams /> },
    ...(access.can('fd-people.manage') ? [{ key: 'assistants', label: '家医助理', children: <Assistants /> }] : []),
    ...(access.can('fd-people.accounts') ? [{ key: 'view', label: '查看账号', children: <ViewAccounts /> }] : []),
    {
      key: 'me',
      label: '个人信息',
      children: (
        <Space orientation="vertical">
          <Typography.Paragraph>签名图片用于签约协议书（上传后该医生有效签约的协议书重新生成）。</Typography.Paragraph>
          <RemoteSelect
            aria-label="家庭医生"
            fetch={familyDoctors(user?.scope.institutionId ?? null)}
            placeholder="选择家庭医生（可输入姓名搜索）"
            value={doctorId}
            onChange={(v) => setDoctorId(typeof v === 'number' ? v : null)}
            style={{ width: 320 }}
            disabled={user?.scope.level === 'own'}
            initialLabel={user?.scope.level === 'own' ? user.scopeLabel.replace(/^.*：/, '') : undefined}
          />
          {doctorId ? (
            <ImageUpload
              label="签名"
              getUrl={`/family-doctor/practitioners/${doctorId}/signature`}
              putUrl={`/family-doctor/practitioners/${doctorId}/signature`}
              canPut={access.can('family-doctor.sign')}
            />
          ) : null}
        </Space>
      ),
    },
    {
      key: 'community',
      label: '社区信息',
      children: (
        <Space orientation="vertical">
          <RemoteSelect
            aria-label="社区卫生服务中心"
            fetch={institutionsOf('chc')}
            placeholder="选择社区卫生服务中心（可输入名称搜索）"
            value={instId}
            onChange={(v) => setInstId(typeof v === 'number' ? v : null)}
            style={{ width: 320 }}
            disabled={!!user?.scope.institutionId}
            initialLabel={ownInstitution}
          />
          {instId ? (
            <ImageUpload
              label="公章"
              getUrl={`/fd-people/institutions/${instId}/seal`}
              putUrl={`/fd-people/institutions/${instId}/seal`}
              canPut={access.can('fd-people.manage')}
            />
          ) : null}
        </Space>
      ),
    },
  ];
  return (
    <Card
      title="人员与团队"
      extra={
        <DownloadButton url="/api/v1/fd-people/manual.pdf" filename="家庭医生签约平台操作手册.pdf">
          操作手册
        </DownloadButton>
      }
    >
      <Tabs items={items} />
    </Card>
  );
}
