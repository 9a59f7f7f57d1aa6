import type { Command } from 'commander';
import { Role } from '@bulkops/contracts';
import { DatabaseEnv, loadEnv, processEnv } from '@bulkops/config';
import {
  createDataSource,
  generateApiToken,
  hashApiToken,
  ProvisioningRepository,
} from '@bulkops/database';

const ROLES = Object.values(Role) as string[];

function role(value: string): Role {
  if (!ROLES.includes(value))
    throw new Error(`--role must be ${ROLES.join(' or ')}, not '${value}'`);
  return value as Role;
}

async function withProvisioning<T>(
  work: (repository: ProvisioningRepository) => Promise<T>,
): Promise<T> {
  const env = loadEnv([DatabaseEnv], processEnv()).get(DatabaseEnv);
  const dataSource = await createDataSource(
    { ...env, databasePoolSize: 1 },
    'bulkops-cli',
  ).initialize();
  try {
    return await work(new ProvisioningRepository(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** `bulkops admin …`: provisioning straight against Postgres (spec/api.md "Provisioning"). */
export function addAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description('create organizations and tokens (talks to Postgres via DATABASE_URL)');

  admin
    .command('create-org')
    .description('create an organization with its first administrator and token')
    .requiredOption('--name <name>', 'organization name')
    .requiredOption('--admin-name <name>', "the administrator's name")
    .requiredOption('--admin-email <email>', "the administrator's email")
    .option('--role <role>', 'admin or viewer', 'admin')
    .action(
      async (options: { name: string; adminName: string; adminEmail: string; role: string }) => {
        const token = generateApiToken();
        const issued = await withProvisioning((p) =>
          p.createOrganization({
            name: options.name,
            adminName: options.adminName,
            adminEmail: options.adminEmail,
            role: role(options.role),
            tokenHash: hashApiToken(token),
          }),
        );
        print({ ...issued, token });
      },
    );

  admin
    .command('create-token')
    .description('issue another token to an administrator of an organization')
    .requiredOption('--org <orgId>', 'organization id')
    .requiredOption('--admin-email <email>', "the administrator's email")
    .option('--admin-name <name>', 'adds the administrator when they do not exist yet')
    .option('--role <role>', 'admin or viewer', 'admin')
    .action(
      async (options: { org: string; adminEmail: string; adminName?: string; role: string }) => {
        const token = generateApiToken();
        const issued = await withProvisioning((p) =>
          p.createToken({
            orgId: options.org,
            adminEmail: options.adminEmail,
            adminName: options.adminName,
            role: role(options.role),
            tokenHash: hashApiToken(token),
          }),
        );
        print({ ...issued, token });
      },
    );

  admin
    .command('revoke-token')
    .description('revoke a token; requests with it answer 401 from then on')
    .requiredOption('--token-id <id>', 'the tokenId printed when the token was created')
    .action(async (options: { tokenId: string }) => {
      const revoked = await withProvisioning((p) => p.revokeToken(options.tokenId));
      if (!revoked) throw new Error(`no token has the id ${options.tokenId}`);
      print({ tokenId: options.tokenId, revoked: true });
    });
}
