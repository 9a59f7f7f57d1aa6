import type { DataSource } from 'typeorm';
import { Role } from '@bulkops/contracts';
import { generateApiToken, hashApiToken, ProvisioningRepository } from '@bulkops/database';

/** An organization made for a test, with an admin and a viewer token. */
export interface TestOrganization {
  orgId: string;
  adminToken: string;
  viewerToken: string;
}

let counter = 0;

/** Creates an organization with an admin token and a viewer token, as the CLI would. */
export async function createOrganization(
  dataSource: DataSource,
  name = `Test Org ${++counter}`,
): Promise<TestOrganization> {
  const provisioning = new ProvisioningRepository(dataSource);
  const adminToken = generateApiToken();
  const org = await provisioning.createOrganization({
    name,
    adminName: 'Ada Admin',
    adminEmail: 'ada@example.com',
    role: Role.Admin,
    tokenHash: hashApiToken(adminToken),
  });
  const viewerToken = generateApiToken();
  await provisioning.createToken({
    orgId: org.orgId,
    adminEmail: 'vic@example.com',
    adminName: 'Vic Viewer',
    role: Role.Viewer,
    tokenHash: hashApiToken(viewerToken),
  });
  return { orgId: org.orgId, adminToken, viewerToken };
}
