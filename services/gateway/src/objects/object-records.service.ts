import { Injectable } from '@nestjs/common';
import type { Page, RecordView } from '@bulkops/contracts';
import { ObjectRecordsRepository } from '@bulkops/database';
import { recordView, type ObjectDeclaration } from '@bulkops/objects';
import { recordCursor } from './record-cursor';

/** `GET /v1/objects/{type}/records`: the records an export holds, as JSON pages in key order. */
@Injectable()
export class ObjectRecordsService {
  constructor(private readonly records: ObjectRecordsRepository) {}

  async page(
    orgId: string,
    declaration: ObjectDeclaration,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<RecordView>> {
    const after = cursor ? recordCursor.decode(cursor) : null;
    const page = await this.records.page(orgId, declaration, after, limit);
    const last = page.records.at(-1);
    return {
      items: page.records.map((record) => recordView(declaration, record.values, page.names)),
      nextCursor: page.more && last ? recordCursor.encode(last.keyNorm) : null,
    };
  }
}
