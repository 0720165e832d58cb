import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Tier } from '../src/domain/tier';
import type { DesignCategory, DesignStatus, DesignVisibility } from './enums';

@Entity('designs')
export class DesignEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'owner_id' }) ownerId!: string;
  /** The owner's tier as their last change of the design showed it; it sets the design's layer limit. */
  @Column('text', { name: 'owner_tier', nullable: true }) ownerTier!: Tier | null;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { name: 'avatar_id', nullable: true }) avatarId!: string | null;
  @Column('text', { nullable: true }) category!: DesignCategory | null;
  @Column('text', { array: true }) tags!: string[];
  @Column('text', { array: true }) occasions!: string[];
  @Column('text', { array: true }) seasons!: string[];
  @Column('text') status!: DesignStatus;
  @Column('text') visibility!: DesignVisibility;
  /** +1 per committed change; the change log holds one entry per revision. */
  @Column('int') revision!: number;
  /** Number of the newest version. */
  @Column('int') version!: number;
  @Column('uuid', { name: 'forked_from_id', nullable: true }) forkedFromId!: string | null;
  @Column('int', { name: 'fork_count' }) forkCount!: number;
  @Column('int', { name: 'view_count' }) viewCount!: number;
  @Column('int', { name: 'like_count' }) likeCount!: number;
  /** Hash of the createDesign input, to tell an idempotent retry from a different request with the same id. */
  @Column('text', { name: 'creation_hash' }) creationHash!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'last_edited_at' }) lastEditedAt!: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt!: Date | null;
  @Column('timestamptz', { name: 'last_autosave_at', nullable: true }) lastAutosaveAt!: Date | null;
}
