import { DEMO_PASSWORD, demoTotpSecret } from '../../server/src/platform/demo/users.ts';

/** Demo accounts the first start creates (docs/demo.md): the public demo password and fixed TOTP secrets. */
export interface TestAccount {
  username: string;
  password: string;
  totpSecret: string;
}

const demo = (username: string): TestAccount => ({ username, password: DEMO_PASSWORD, totpSecret: demoTotpSecret(username) });

export const CITY_ADMIN = demo('city_admin');
export const HUANGPU_ADMIN = demo('district_admin_huangpu');
