export { type NotifyInput, type NotifyTarget, notifyRoles, notifyUsers } from './notify.ts';
