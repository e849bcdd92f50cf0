import { Tag } from 'antd';
import type { RunStatus } from '@server/platform/jobs/responses.ts';
import { RUN_STATUS } from './types';

export function RunStatusTag({ status }: { status: RunStatus | undefined | null }) {
  if (!status) return <span style={{ color: '#bbb' }}>—</span>;
  const s = RUN_STATUS[status];
  return (
    <Tag color={s?.color ?? 'default'} data-testid="run-status">
      {s?.text ?? status}
    </Tag>
  );
}
