import type { CliCommand } from './platform/cli/types.ts';
import { migrateCommand } from './platform/cli/migrate-command.ts';
import { backupCommand, restoreCommand } from './platform/cli/backup-command.ts';
import { importCommands } from './systems/common/master-data/cli.ts';
import { userCommands } from './platform/auth/cli.ts';
import { auditCommands } from './platform/audit/cli.ts';
import { keyCommands } from './platform/crypto/cli.ts';
import { worldCommands } from './platform/world/cli.ts';
import { terminologyImportCommand } from './systems/hospital-monitoring/terminology/cli.ts';

/** Every CLI command, in the order `weijian --help` lists them. */
export const cliCommands: readonly CliCommand[] = [
  migrateCommand,
  ...userCommands,
  ...auditCommands,
  ...keyCommands,
  ...importCommands,
  terminologyImportCommand,
  ...worldCommands,
  backupCommand,
  restoreCommand,
];
