import type { Kernel } from '../kernel.ts';

/** Demo users and the demo world on first start (never in production). Filled in by demo/users.ts. */
export async function onFirstStart(kernel: Kernel): Promise<void> {
  if (kernel.config.env === 'production') throw new Error('demo data is refused when NODE_ENV=production');
}
