import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { VersionKind } from '../../entities/version.entity';
import { CanvasSettings } from './canvas.type';
import { User } from './federation.type';
import { Layer, LayerGroup } from './layer.type';
import { connectionOf } from './page.type';
import { DateTimeScalar, JSONScalar } from './scalars';

registerEnumType(VersionKind, { name: 'VersionKind' });

@ObjectType({
  simpleResolvers: true,
  description: 'The full state of a design at one moment: what a render, an export or a restore starts from.',
})
export class DesignSnapshot {
  @Field(() => Int) revision!: number;
  @Field() name!: string;
  @Field(() => ID, { nullable: true }) avatarId!: string | null;
  @Field(() => [Layer]) layers!: Layer[];
  @Field(() => [LayerGroup]) layerGroups!: LayerGroup[];
  @Field(() => CanvasSettings) canvas!: CanvasSettings;
}

@ObjectType({ simpleResolvers: true, description: "One RFC 6902 JSON Patch operation on the snapshot's JSON form." })
export class JsonPatchOperation {
  @Field() op!: string;
  @Field() path!: string;
  @Field(() => String, { nullable: true }) from!: string | null;
  @Field(() => JSONScalar, { nullable: true }) value!: unknown;
}

@ObjectType({ simpleResolvers: true })
export class LayerChange {
  @Field(() => ID) layerId!: string;
  @Field(() => [String], { description: 'Top-level Layer fields that differ, e.g. ["transform", "opacity"].' }) fields!: string[];
}

@ObjectType({ simpleResolvers: true })
export class DesignDiff {
  @Field(() => Int) fromVersion!: number;
  @Field(() => Int) toVersion!: number;
  @Field(() => [ID]) layersAdded!: string[];
  @Field(() => [ID]) layersRemoved!: string[];
  @Field(() => [LayerChange]) layersChanged!: LayerChange[];
  @Field() layersReordered!: boolean;
  @Field(() => [String], { description: 'Top-level CanvasSettings fields that differ.' }) canvasChanged!: string[];
  @Field(() => [String], { description: 'Top-level Design fields that differ (name, avatarId, ...).' }) designChanged!: string[];
  @Field(() => [JsonPatchOperation], { description: 'Applying these operations to the `from` snapshot gives the `to` snapshot.' })
  patch!: JsonPatchOperation[];
}

@ObjectType({ simpleResolvers: true })
export class Version {
  @Field(() => ID) id!: string;
  @Field(() => Int) number!: number;
  @Field(() => VersionKind) kind!: VersionKind;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => User, { nullable: true }) createdBy!: User | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DesignSnapshot) snapshot!: DesignSnapshot;
  @Field(() => DesignDiff, { nullable: true, description: 'Change from the previous version; null for the first.' })
  diff!: DesignDiff | null;
}

@ObjectType({ simpleResolvers: true })
export class VersionConnection extends connectionOf('Version', () => Version) {}

@ObjectType({ simpleResolvers: true })
export class Autosave {
  @Field(() => Int) number!: number;
  @Field(() => Int) revision!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DesignSnapshot) snapshot!: DesignSnapshot;
}

@ObjectType({ simpleResolvers: true })
export class AutosaveConnection extends connectionOf('Autosave', () => Autosave) {}
