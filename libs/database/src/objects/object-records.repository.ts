import { pipeline, Transform, type Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import {
  getObject,
  referencedIds,
  type NameLookup,
  type ObjectDeclaration,
} from '@bulkops/objects';
import { NameTable } from './name-table';
import { ident, recordSelectList, toStoredRecord, type StoredRecord } from './object-rows';

/** One type's records as an export reads them from a snapshot. */
export interface RecordStream {
  /**
   * How many records `records` gives, counted up to the `countUpTo` asked for (same snapshot, so
   * exact below it).
   */
  readonly count: number;
  /** Names of the referenced objects, for the kinds' `format`. */
  readonly names: NameLookup;
  /** StoredRecord objects in key order, read from a server-side cursor; destroy it to stop the query. */
  readonly records: Readable;
}

/**
 * One export in progress: a consistent snapshot of an organization's records of one type, the
 * names of everything they reference taken from the same snapshot, and a cursor over the records.
 */
export interface RecordExport extends RecordStream {
  /** Ends the snapshot and hands the connection back; call it once the stream is done or destroyed. */
  close(): Promise<void>;
}

/**
 * A read-only REPEATABLE READ snapshot of one organization's records of every type, on a connection
 * of its own, so an export of several types sees them as they were at one instant (every reference
 * it writes names a record it also writes) even while jobs change them. One query at a time: read a
 * stream to its end (or destroy it) before asking for the next.
 */
export interface RecordSnapshot {
  /** The organization whose records it holds. */
  readonly orgId: string;
  /** How many records of a type there are, counted up to `upTo`. */
  count(declaration: ObjectDeclaration, upTo: number | null): Promise<number>;
  /** The count (up to `countUpTo`), referenced names and a cursor over the records of a type. */
  stream(declaration: ObjectDeclaration, countUpTo: number | null): Promise<RecordStream>;
  /** Up to `limit` records after the key `after`, as `ObjectRecordsRepository.page`. */
  page(declaration: ObjectDeclaration, after: string | null, limit: number): Promise<RecordPage>;
  /** Ends the snapshot and hands the connection back. */
  close(): Promise<void>;
}

/** One page of records and the names they reference. */
export interface RecordPage {
  records: StoredRecord[];
  names: NameLookup;
  /** Whether records follow the last one of this page. */
  more: boolean;
}

/**
 * Reads an organization's records of one type for exports and the records API, in key order
 * (`key_norm`, the case-insensitive key, which the unique index of every object table covers).
 * Generic over declarations like `ObjectTableRepository`; references come back as ids and are named
 * through a `NameTable` loaded from the same snapshot.
 */
@Injectable()
export class ObjectRecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Opens a snapshot of the organization's records (see RecordSnapshot); the caller must call
   * `close()`.
   */
  async openSnapshot(orgId: string): Promise<RecordSnapshot> {
    const runner = this.dataSource.createQueryRunner();
    const close = () => this.close(runner);
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
    } catch (error) {
      await close();
      throw error;
    }
    return {
      orgId,
      count: (declaration, upTo) => this.count(runner.manager, orgId, declaration, upTo),
      stream: (declaration, countUpTo) => this.stream(runner, orgId, declaration, countUpTo),
      page: (declaration, after, limit) =>
        this.pageIn(runner.manager, orgId, declaration, after, limit),
      close,
    };
  }

  /**
   * Opens an export of one type: a snapshot of its own (so the count, the names and the rows agree
   * even while a job writes), the count, every referenced type's names and a cursor over the
   * records. Memory is bounded by the referenced types, never by the records. Counting stops at
   * `countUpTo` (a caller that only needs to know whether the records fit one file need not wait for
   * a count of millions). The caller must call `close()`.
   */
  async openExport(
    orgId: string,
    declaration: ObjectDeclaration,
    countUpTo: number | null = null,
  ): Promise<RecordExport> {
    const snapshot = await this.openSnapshot(orgId);
    try {
      return { ...(await snapshot.stream(declaration, countUpTo)), close: () => snapshot.close() };
    } catch (error) {
      await snapshot.close();
      throw error;
    }
  }

  private async count(
    manager: EntityManager,
    orgId: string,
    declaration: ObjectDeclaration,
    upTo: number | null,
  ): Promise<number> {
    // LIMIT NULL is no limit.
    const [{ count }] = await manager.query<[{ count: number }]>(
      `SELECT count(*)::int AS count FROM (SELECT 1 FROM ${ident(declaration.table)} WHERE organization_id = $1 LIMIT $2) AS counted`,
      [orgId, upTo],
    );
    return count;
  }

  private async stream(
    runner: QueryRunner,
    orgId: string,
    declaration: ObjectDeclaration,
    countUpTo: number | null,
  ): Promise<RecordStream> {
    const count = await this.count(runner.manager, orgId, declaration, countUpTo);
    const names = new NameTable();
    for (const target of declaration.dependsOn) {
      names.add(target, await this.loadNames(runner.manager, orgId, getObject(target), null));
    }
    const rows = await runner.stream(
      `SELECT ${recordSelectList(declaration)} FROM ${ident(declaration.table)} t WHERE t.organization_id = $1 ORDER BY t.key_norm`,
      [orgId],
    );
    const records = new Transform({
      objectMode: true,
      transform(row: Record<string, unknown>, _encoding, callback) {
        callback(null, toStoredRecord(declaration, row));
      },
    });
    // Destroying `records` (a client went away) destroys the cursor stream too, which closes the portal.
    pipeline(rows, records, () => undefined);
    return { count, names: names.lookup, records };
  }

  /**
   * Up to `limit` records after the key `after` (keyset paging on the unique key; a page is exact
   * however the pages before it changed), with the names of what they reference, from one snapshot.
   */
  async page(
    orgId: string,
    declaration: ObjectDeclaration,
    after: string | null,
    limit: number,
  ): Promise<RecordPage> {
    return this.dataSource.transaction('REPEATABLE READ', (manager) =>
      this.pageIn(manager, orgId, declaration, after, limit),
    );
  }

  private async pageIn(
    manager: EntityManager,
    orgId: string,
    declaration: ObjectDeclaration,
    after: string | null,
    limit: number,
  ): Promise<RecordPage> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT ${recordSelectList(declaration)} FROM ${ident(declaration.table)} t
        WHERE t.organization_id = $1 AND ($2::text IS NULL OR t.key_norm > $2::text)
        ORDER BY t.key_norm LIMIT $3`,
      [orgId, after, limit + 1],
    );
    const records = rows.slice(0, limit).map((row) => toStoredRecord(declaration, row));
    const wanted = new Map<string, Set<string>>();
    for (const record of records) referencedIds(declaration, record.values, wanted);
    const names = new NameTable();
    for (const [target, ids] of wanted) {
      names.add(target, await this.loadNames(manager, orgId, getObject(target), [...ids]));
    }
    return { records, names: names.lookup, more: rows.length > limit };
  }

  /** id → key and leaf name of a target type's objects: all of them, or those of `ids`. */
  private async loadNames(
    manager: EntityManager,
    orgId: string,
    target: ObjectDeclaration,
    ids: readonly string[] | null,
  ): Promise<{ id: string; key: string; leaf: string }[]> {
    // The leaf of a Parent + Name key is its last column (a team's Name); a one-column key is its own leaf.
    const leaf =
      target.keyColumns.length > 1
        ? `t.${ident(target.keyColumns.at(-1)!.dbColumn)}`
        : 't.key_display';
    return manager.query(
      `SELECT t.id, t.key_display AS key, ${leaf} AS leaf FROM ${ident(target.table)} t
        WHERE t.organization_id = $1 AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))`,
      [orgId, ids],
    );
  }

  private async close(runner: QueryRunner): Promise<void> {
    try {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  }
}
