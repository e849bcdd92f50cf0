import { Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { CasesTab } from './CasesTab';
import { LogTab } from './LogTab';
import { PullTab } from './PullTab';
import { StatsTab } from './StatsTab';

const TABS = [
  { key: 'cases', label: '核对个案' },
  { key: 'log', label: '核对日志' },
  { key: 'stats', label: '统计' },
  { key: 'pull', label: '民政数据接入' },
];

/** 民政婚姻信息核对: cases with their automatic audit and manual handling, the log, statistics, the data pull (?tab=…). */
export function MarriageVerificationPage() {
  const [params, setParams] = useSearchParams();
  const tab = TABS.some((x) => x.key === params.get('tab')) ? (params.get('tab') as string) : 'cases';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => setParams(k === 'cases' ? {} : { tab: k }, { replace: true })}
      destroyInactiveTabPane
      items={TABS.map((x) => ({
        ...x,
        children: x.key === 'cases' ? <CasesTab /> : x.key === 'log' ? <LogTab /> : x.key === 'stats' ? <StatsTab /> : <PullTab />,
      }))}
    />
  );
}
