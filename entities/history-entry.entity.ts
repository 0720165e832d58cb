import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ChangeData } from '../src/domain/change-log';
import type { DesignEventPayload } from '../src/events/design-event';
import type { HistoryAction } from './enums';

/** The change log: one row per committed change, numbered by the revision it produced. */
@Entity('design_history')
export class HistoryEntryEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'design_id' }) designId!: string;
  @Column('int') revision!: number;
  @Column('text') action!: HistoryAction;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId!: string | null;
  /** Before and after of what changed: enough to undo it and to replay it as an event. */
  @Column('jsonb') data!: ChangeData['data'];
  /** The event subscribers received for this revision (null on entries written before events existed). */
  @Column('jsonb', { nullable: true }) event!: DesignEventPayload | null;
  @PrimaryColumn('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
