import type { CliCommand } from './platform/cli/types.ts';
import { migrateCommand } from './platform/cli/migrate-command.ts';

/** Every CLI command, in the order `weijian --help` lists them. */
export const cliCommands: readonly CliCommand[] = [migrateCommand];
