import { Form, Select } from 'antd';
import type { InstitutionPage, PractitionerPage, RegionList, TeamPage } from '@server/systems/common/master-data/responses.ts';
import { api } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { useSession } from '../../../app/session';
import { RemoteSelect } from '../../../components/RemoteSelect';
import type { RolesInfo } from './types';

/**
 * 数据权限 fields: the level, then the one key that level needs (district / street / institution /
 * team / practitioner). A district administrator can only grant scopes inside their own district.
 */
export function ScopeFields({ scopeLevels }: { scopeLevels: RolesInfo['scopeLevels'] }) {
  const form = Form.useFormInstance();
  const { user } = useSession();
  const { districts } = useDistrictFilter();
  const level = Form.useWatch(['scope', 'level'], form) as string | undefined;
  const district = Form.useWatch(['scope', 'districtCode'], form) as string | undefined;
  const institution = Form.useWatch(['scope', 'institutionFilter'], form) as number | undefined;
  const mineOnly = user?.scope.level !== 'city';
  const levels = mineOnly ? scopeLevels.filter((l) => l.code !== 'city') : scopeLevels;
  const districtOptions = districts.filter((d) => !mineOnly || d.code === user?.scope.districtCode).map((d) => ({ value: d.code, label: d.name }));
  const needsDistrict = level && level !== 'city';

  return (
    <>
      <Form.Item name={['scope', 'level']} label="数据权限级别" rules={[{ required: true, message: '请选择数据权限级别' }]}>
        <Select options={levels.map((l) => ({ value: l.code, label: l.name }))} placeholder="全市 / 本区 / 本街镇 / 本机构 …" />
      </Form.Item>
      {needsDistrict && (
        <Form.Item
          name={['scope', 'districtCode']}
          label="所属区"
          rules={[{ required: level === 'district', message: '请选择区' }]}
          extra={level !== 'district' ? '用于筛选下方的街镇、机构' : undefined}
        >
          <Select options={districtOptions} placeholder="选择区" allowClear showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
      )}
      {level === 'street' && (
        <Form.Item name={['scope', 'streetCode']} label="街镇" rules={[{ required: true, message: '请选择街镇' }]}>
          <RemoteSelect
            deps={[district]}
            disabled={!district}
            placeholder={district ? '选择街镇' : '请先选择区'}
            fetch={async (q, signal) => {
              const r = await api.get<RegionList>('/regions', { level: 'street', parent: district }, signal);
              return r.items.filter((s) => !q || s.name.includes(q)).map((s) => ({ value: s.code, label: s.name }));
            }}
          />
        </Form.Item>
      )}
      {(level === 'institution' || level === 'team' || level === 'own') && (
        <Form.Item
          name={level === 'institution' ? ['scope', 'institutionId'] : ['scope', 'institutionFilter']}
          label="医疗机构"
          rules={[{ required: level === 'institution', message: '请选择机构' }]}
        >
          <RemoteSelect
            deps={[district]}
            placeholder="输入名称搜索机构"
            fetch={async (q, signal) => {
              const r = await api.get<InstitutionPage>('/institutions', { district, q, pageSize: 50 }, signal);
              return r.items.map((i) => ({ value: i.id, label: i.name }));
            }}
          />
        </Form.Item>
      )}
      {level === 'team' && (
        <Form.Item name={['scope', 'teamId']} label="家庭医生团队" rules={[{ required: true, message: '请选择团队' }]}>
          <RemoteSelect
            deps={[institution]}
            disabled={!institution}
            placeholder={institution ? '选择团队' : '请先选择机构'}
            fetch={async (q, signal) => {
              const r = await api.get<TeamPage>('/teams', { institutionId: institution }, signal);
              return r.items.filter((t) => !q || t.name.includes(q)).map((t) => ({ value: t.id, label: t.name }));
            }}
          />
        </Form.Item>
      )}
      {level === 'own' && (
        <Form.Item name={['scope', 'practitionerId']} label="关联医务人员" rules={[{ required: true, message: '请选择医务人员' }]}>
          <RemoteSelect
            deps={[institution, district]}
            placeholder="输入姓名搜索医务人员"
            fetch={async (q, signal) => {
              const r = await api.get<PractitionerPage>('/practitioners', { institutionId: institution, district, q, pageSize: 50 }, signal);
              return r.items.map((p) => ({ value: p.id, label: p.institutionName ? `${p.name}（${p.institutionName}）` : p.name }));
            }}
          />
        </Form.Item>
      )}
    </>
  );
}

/** The scope the API takes: the level and only the keys that are set (filters dropped). */
export function scopePayload(s: Record<string, unknown>) {
  const out: Record<string, unknown> = { level: s.level };
  for (const k of ['districtCode', 'streetCode', 'institutionId', 'teamId', 'practitionerId']) {
    if (s[k] !== undefined && s[k] !== null && s[k] !== '') out[k] = s[k];
  }
  if (s.level === 'city') return { level: 'city' };
  return out;
}
