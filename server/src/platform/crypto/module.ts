import { defineModule } from '../module.ts';
import { keyJobs } from './jobs.ts';

/** The key ring's jobs (re-sealing after rotation); the ring itself is loaded by the kernel. */
export const keysModule = defineModule({
  name: 'platform.keys',
  title: '密钥管理',
  system: 'platform',
  jobs: keyJobs,
});
