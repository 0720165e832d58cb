import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('layer_groups')
export class LayerGroupEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'design_id' }) designId!: string;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('boolean') visible!: boolean;
  @Column('boolean') locked!: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
