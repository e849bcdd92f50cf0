// 社区云 (simulated): street verification tasks of 出生监测核实 (issue 6 item 8). We PUT each task
// version to /api/v1/birth-tasks/:taskNo (Idempotency-Key per task version); deliveries come at least
// once and in any order, so 社区云 keeps the highest version it has seen and answers an older one with
// 200 { stale: true }. GET /api/v1/birth-tasks/:taskNo shows what it holds. Tests read
// communityCloudStore(sim).tasks.
import { defineSimulator, type Simulator } from '../simulator.ts';

export interface CloudTask {
  taskNo: string;
  version: number;
  status: string;
  streetCode: string;
  body: Record<string, unknown>;
  /** Versions received (deduplicated by key), including stale ones. */
  versionsSeen: number[];
}

const stores = new WeakMap<Simulator, { tasks: Map<string, CloudTask> }>();
export function communityCloudStore(sim: Simulator): { tasks: Map<string, CloudTask> } {
  let s = stores.get(sim);
  if (!s) {
    s = { tasks: new Map() };
    stores.set(sim, s);
  }
  return s;
}

export const communityCloudSimulator = defineSimulator({
  system: 'community-cloud',
  routes: [
    {
      method: 'PUT',
      url: '/api/v1/birth-tasks/:taskNo',
      handler: (req, sim) => {
        const b = (req.body ?? {}) as Record<string, unknown>;
        const taskNo = req.params.taskNo!;
        if (b.taskNo !== taskNo || !Number.isInteger(b.version) || typeof b.status !== 'string' || typeof b.streetCode !== 'string') {
          return { status: 400, body: { code: 'INVALID', message: '任务信息不完整（taskNo、version、status、streetCode）' } };
        }
        const tasks = communityCloudStore(sim).tasks;
        const had = tasks.get(taskNo);
        const version = b.version as number;
        if (had) had.versionsSeen.push(version);
        if (had && had.version >= version) return { body: { taskNo, stale: true, holding: had.version } };
        tasks.set(taskNo, {
          taskNo,
          version,
          status: b.status as string,
          streetCode: b.streetCode as string,
          body: b,
          versionsSeen: [...(had?.versionsSeen ?? []), ...(had ? [] : [version])],
        });
        return { body: { taskNo, stale: false, holding: version } };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/birth-tasks/:taskNo',
      handler: (req, sim) => {
        const t = communityCloudStore(sim).tasks.get(req.params.taskNo!);
        return t ? { body: t } : { status: 404, body: { code: 'NOT_FOUND', message: '任务不存在' } };
      },
    },
  ],
});
