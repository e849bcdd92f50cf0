import { Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { LogTab } from './LogTab';
import { MappingTab } from './MappingTab';
import { PrefillTab } from './PrefillTab';
import { RegistrationsTab } from './RegistrationsTab';
import { StatsTab } from './StatsTab';

const TABS = [
  { key: 'registrations', label: '登记与分发' },
  { key: 'prefill', label: '新建个案预填' },
  { key: 'mapping', label: '代码映射' },
  { key: 'log', label: '处理日志' },
  { key: 'stats', label: '统计与拉取' },
];

/** 公安报出生户口信息核对 (?tab=…). */
export function HouseholdVerificationPage() {
  const [params, setParams] = useSearchParams();
  const tab = TABS.some((x) => x.key === params.get('tab')) ? (params.get('tab') as string) : 'registrations';
  const body = (k: string) =>
    k === 'registrations' ? (
      <RegistrationsTab />
    ) : k === 'prefill' ? (
      <PrefillTab />
    ) : k === 'mapping' ? (
      <MappingTab />
    ) : k === 'log' ? (
      <LogTab />
    ) : (
      <StatsTab />
    );
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => setParams(k === 'registrations' ? {} : { tab: k }, { replace: true })}
      destroyInactiveTabPane
      items={TABS.map((x) => ({ ...x, children: body(x.key) }))}
    />
  );
}
