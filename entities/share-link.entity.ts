import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CollaboratorRole } from './enums';

/** A link that adds whoever opens it as a collaborator; the token itself is never stored, only its SHA-256. */
@Entity('share_links')
export class ShareLinkEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'design_id' }) designId!: string;
  @Column('text') role!: CollaboratorRole;
  @Column('text', { name: 'token_hash' }) tokenHash!: string;
  /** The token's first characters, so an owner can tell links apart in a list. */
  @Column('text', { name: 'token_hint' }) tokenHint!: string;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  @Column('int', { name: 'max_uses', nullable: true }) maxUses!: number | null;
  @Column('int') uses!: number;
  @Column('uuid', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}
