import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum VersionKind {
  INITIAL = 'INITIAL',
  CHECKPOINT = 'CHECKPOINT',
  AUTOSAVE = 'AUTOSAVE',
  RESTORE = 'RESTORE',
  FORK = 'FORK',
}

/** A named point in a design's life; its full state is in the snapshot store under `snapshotId`. */
@Entity('design_versions')
export class VersionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'design_id' }) designId!: string;
  @Column('int') number!: number;
  @Column('text') kind!: VersionKind;
  @Column('text', { nullable: true }) message!: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  /** The design revision this version captured. */
  @Column('int') revision!: number;
  @Column('uuid', { name: 'snapshot_id' }) snapshotId!: string;
  /** DesignDiff from the previous version; null for the first. */
  @Column('jsonb', { nullable: true }) diff!: Record<string, unknown> | null;
}
