import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Vec3 } from './layer.entity';

/** A comment on a design, or a reply to one (`parentId`: one level only). */
@Entity('comments')
export class CommentEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'design_id' }) designId!: string;
  @Column('uuid', { name: 'author_id' }) authorId!: string;
  @Column('text') body!: string;
  @Column('uuid', { name: 'mention_ids', array: true }) mentionIds!: string[];
  @Column('uuid', { name: 'layer_id', nullable: true }) layerId!: string | null;
  @Column('jsonb', { nullable: true }) anchor!: Vec3 | null;
  /** The design revision the comment was written against. */
  @Column('int') revision!: number;
  @Column('uuid', { name: 'version_id', nullable: true }) versionId!: string | null;
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId!: string | null;
  @Column('uuid', { name: 'resolved_by', nullable: true }) resolvedBy!: string | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'edited_at', nullable: true }) editedAt!: Date | null;
}
