import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Object tables of outdial-ani and address-book (objects.md §15, §16). Their entries are jsonb
 * arrays in the written order, which is meaningful (the first ANI entry is the default).
 */
export class CreateOutdialAniAndAddressBookTables1795640000100 implements MigrationInterface {
  name = 'CreateOutdialAniAndAddressBookTables1795640000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outdial_ani (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_outdial_ani_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        entries jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_outdial_ani_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(`
      CREATE TABLE address_book (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_address_book_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        parent_site_id uuid CONSTRAINT fk_address_book_parent_site REFERENCES site (id),
        entries jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_address_book_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(`CREATE INDEX ix_address_book_parent_site ON address_book (parent_site_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['address_book', 'outdial_ani']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
