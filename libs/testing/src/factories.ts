import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { JobMode, Role } from '@bulkops/contracts';
import {
  generateApiToken,
  hashApiToken,
  JobRepository,
  ProvisioningRepository,
  type JobEntity,
  type NewJob,
} from '@bulkops/database';

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

/** A NEW job of an organization, submitted by one of its administrators as the gateway records it. */
export async function createJob(
  dataSource: DataSource,
  orgId: string,
  job: Partial<NewJob> = {},
): Promise<JobEntity> {
  const [{ id: adminId }] = await dataSource.query<{ id: string }[]>(
    `SELECT id FROM administrator WHERE organization_id = $1 ORDER BY created_at LIMIT 1`,
    [orgId],
  );
  return new JobRepository(dataSource).insertActive(orgId, {
    id: randomUUID(),
    adminId,
    object: 'site',
    mode: JobMode.Apply,
    fileName: 'sites.csv',
    fileSize: 1,
    uploadKey: 'unused',
    idempotencyKey: null,
    ...job,
  });
}
