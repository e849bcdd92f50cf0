import type { AnyRoute } from '../http/route.ts';
import { changePasswordRoute } from './change-password.ts';
import { loginRoute } from './login.ts';
import { logoutRoute } from './logout.ts';
import { meRoute } from './me.ts';
import { sessionProbeRoute } from './session-probe.ts';
import { totpEnrollRoute } from './totp-enroll.ts';
import { totpVerifyRoute } from './totp-verify.ts';

export const authRoutes: AnyRoute[] = [loginRoute, totpEnrollRoute, totpVerifyRoute, meRoute, sessionProbeRoute, logoutRoute, changePasswordRoute];
