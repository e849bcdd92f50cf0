import type { Kernel } from '../kernel.ts';

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(_kernel: Kernel): Scheduler {
  return { stop: async () => {} };
}
