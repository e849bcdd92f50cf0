import type { AnyRoute } from '../../http/route.ts';
import { disableUserRoute, enableUserRoute, resetPasswordRoute, resetTotpRoute, unlockUserRoute } from './actions.ts';
import { createApiClientRoute, disableApiClientRoute, enableApiClientRoute, listApiClientsRoute } from './api-clients.ts';
import { createUserRoute } from './create.ts';
import { listUsersRoute } from './list.ts';
import { updateUserRoute } from './update.ts';

export const userRoutes: AnyRoute[] = [
  listUsersRoute,
  createUserRoute,
  updateUserRoute,
  resetTotpRoute,
  disableUserRoute,
  enableUserRoute,
  resetPasswordRoute,
  unlockUserRoute,
  listApiClientsRoute,
  createApiClientRoute,
  disableApiClientRoute,
  enableApiClientRoute,
];
