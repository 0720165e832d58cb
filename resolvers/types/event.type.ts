import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DesignEventType } from '../../src/events/design-event';
import { CanvasSettings } from './canvas.type';
import { Design } from './design.type';
import { User } from './federation.type';
import { Layer } from './layer.type';
import { Export, Render } from './output.type';
import { DateTimeScalar } from './scalars';
import { Version } from './version.type';

registerEnumType(DesignEventType, { name: 'DesignEventType' });

@ObjectType({
  simpleResolvers: true,
  description: 'One committed change, as subscribers see it. Payload fields that do not apply to the type are null.',
})
export class DesignEvent {
  @Field(() => ID) designId!: string;
  @Field(() => DesignEventType) type!: DesignEventType;
  @Field(() => Int, { description: 'The design revision after the change (unchanged for RENDER_UPDATED, EXPORT_UPDATED, AUTOSAVED).' })
  revision!: number;
  @Field(() => User, { nullable: true }) actor!: User | null;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => Layer, { nullable: true }) layer!: Layer | null;
  @Field(() => ID, { nullable: true, description: "LAYER_REMOVED: the removed layer's id." }) layerId!: string | null;
  @Field(() => [ID], { nullable: true, description: 'LAYERS_REORDERED: the whole stack, bottom to top.' }) layerIds!: string[] | null;
  @Field(() => CanvasSettings, { nullable: true }) canvas!: CanvasSettings | null;
  @Field(() => Design, { nullable: true }) design!: Design | null;
  @Field(() => Version, { nullable: true }) version!: Version | null;
  @Field(() => Render, { nullable: true }) render!: Render | null;
  @Field(() => Export, { nullable: true }) export!: Export | null;
}
