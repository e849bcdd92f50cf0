import { defineModule } from '../module.ts';

/** The data-scope function every row-level-security policy calls (see migrations/001_scope.sql). */
export const scopeModule = defineModule({
  name: 'platform.scope',
  title: '数据权限',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  exports: ['wj_scope_ok'],
});
