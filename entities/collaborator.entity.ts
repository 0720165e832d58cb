import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CollaboratorRole } from './enums';

/** The owner has a row too (role OWNER), so one join answers every role question. */
@Entity('collaborators')
export class CollaboratorEntity {
  @PrimaryColumn('uuid', { name: 'design_id' }) designId!: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @Column('text') role!: CollaboratorRole;
  @Column('timestamptz', { name: 'added_at' }) addedAt!: Date;
}
