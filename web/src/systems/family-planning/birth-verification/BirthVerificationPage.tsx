import { Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useAccess } from '../../../app/access';
import { AssistsTab } from './AssistsTab';
import { IntakeTab } from './IntakeTab';
import { StatsTab } from './StatsTab';
import { TasksTab } from './TasksTab';

const TABS = [
  { key: 'tasks', label: '核实任务' },
  { key: 'assists', label: '协查' },
  { key: 'stats', label: '统计' },
  { key: 'intake', label: '市妇幼数据接入' },
];

/** 出生监测核实: the street's tasks, assist requests between streets, statistics and the 市妇幼 channel (?tab=…). */
export function BirthVerificationPage() {
  const [params, setParams] = useSearchParams();
  const access = useAccess();
  const tabs = TABS.filter((x) => x.key !== 'assists' || access.can('birth-verification.verify'));
  const tab = tabs.some((x) => x.key === params.get('tab')) ? (params.get('tab') as string) : 'tasks';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => setParams(k === 'tasks' ? {} : { tab: k }, { replace: true })}
      destroyInactiveTabPane
      items={tabs.map((x) => ({
        ...x,
        children: x.key === 'tasks' ? <TasksTab /> : x.key === 'assists' ? <AssistsTab /> : x.key === 'stats' ? <StatsTab /> : <IntakeTab />,
      }))}
    />
  );
}
