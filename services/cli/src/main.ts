import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '@bulkops/config';
import { addAdminCommands } from './admin/admin-commands';
import { addApiCommands } from './api/api-commands';
import { addDirectoryCommands } from './api/directory-commands';

const program = new Command('bulkops')
  .description(
    'bulkops: provision organizations and tokens, import CSV files, follow jobs, download errors and exports',
  )
  .showHelpAfterError();
addAdminCommands(program);
addApiCommands(program);
addDirectoryCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`bulkops: ${message}\n`);
  process.exit(1);
});
