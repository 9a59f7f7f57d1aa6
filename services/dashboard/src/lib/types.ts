import type { JobView as ContractJobView } from '@bulkops/contracts';

export type { ChangeView, ColumnView, ObjectTypeView, Page, RecordView } from '@bulkops/contracts';

/** A job as the API sends it; status and mode are read as the plain strings they arrive as. */
export type JobView = Omit<ContractJobView, 'status' | 'mode'> & { status: string; mode: string };

/** `GET /v1/me`. */
export interface Me {
  orgId: string;
  orgName: string;
  role: 'admin' | 'viewer';
  name: string;
  email: string;
}
