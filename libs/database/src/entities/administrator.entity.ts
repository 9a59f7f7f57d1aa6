import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A person who administers one organization; tokens and jobs name them. */
@Entity('administrator')
export class AdministratorEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  email!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
