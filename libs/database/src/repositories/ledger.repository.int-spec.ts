import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { LedgerRepository } from './ledger.repository';

describe('LedgerRepository', () => {
  let context: TestContext;
  const ledger = new LedgerRepository();

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(async () => {
    await context?.dispose();
  });

  const counts = { rows: 10, created: 4, updated: 3, deleted: 1, unchanged: 1, failed: 1 };
  const outcome = (seq: number) => ({ seq, ...counts });

  it("records, finds and sums nothing of a job's ledger for another organization's id", async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const { orgId: otherOrgId } = await createOrganization(context.dataSource);
    const { id: jobId } = await createJob(context.dataSource, orgId);
    await context.dataSource.transaction(async (m) => {
      await ledger.record(m, orgId, jobId, outcome(0));
      await ledger.record(m, otherOrgId, jobId, outcome(1));
    });

    await context.dataSource.transaction(async (m) => {
      expect(await ledger.has(m, otherOrgId, jobId, 0)).toBe(false);
      expect(await ledger.totals(m, otherOrgId, jobId)).toEqual({
        chunks: 0,
        rows: 0,
        created: 0,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        failed: 0,
      });
      expect(await ledger.has(m, orgId, jobId, 0)).toBe(true);
      expect(await ledger.has(m, orgId, jobId, 1)).toBe(false);
      expect(await ledger.totals(m, orgId, jobId)).toEqual({ chunks: 1, ...counts });
    });
  });
});
