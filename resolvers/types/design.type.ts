import { ArrayMaxSize, IsUUID, MaxLength } from 'class-validator';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CanvasSettings } from './canvas.type';
import { Collaborator } from './collaborator.type';
import { CollaboratorRole, DesignCategory, DesignScope, DesignStatus, DesignVisibility } from './enums';
import { Avatar, User } from './federation.type';
import { HistoryConnection } from './history.type';
import { Layer, LayerGroup } from './layer.type';
import { ExportConnection, Render } from './output.type';
import { connectionOf } from './page.type';
import { DateTimeScalar } from './scalars';
import { TEXT_MAX } from '../../src/domain/text-limits';
import { EachLength, IsName } from './validators';
import { AutosaveConnection, VersionConnection } from './version.type';

@Directive('@key(fields: "id")')
@ObjectType({
  simpleResolvers: true,
  description: 'A fashion design: an avatar dressed in ordered layers of catalog items, shown on a canvas.',
})
export class Design {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => User) owner!: User;
  @Field(() => Avatar, { nullable: true }) avatar!: Avatar | null;
  @Field(() => DesignCategory, { nullable: true }) category!: DesignCategory | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => [String]) occasions!: string[];
  @Field(() => [String]) seasons!: string[];
  @Field(() => DesignStatus) status!: DesignStatus;
  @Field(() => DesignVisibility) visibility!: DesignVisibility;
  @Field(() => Int, {
    description:
      '+1 on every committed change to the design, its layers, groups, canvas or collaborators. Every DesignEvent carries the revision it produced.',
  })
  revision!: number;
  @Field(() => Int, { description: 'Number of the newest Version (1 after creation).' }) version!: number;
  @Field(() => Design, { nullable: true }) forkedFrom!: Design | null;
  @Field(() => Int) forkCount!: number;
  @Field(() => Int) viewCount!: number;
  @Field(() => Int) likeCount!: number;
  @Field(() => [Layer], { description: 'Bottom to top: layers[0] is drawn first.' }) layers!: Layer[];
  @Field(() => [LayerGroup]) layerGroups!: LayerGroup[];
  @Field(() => CanvasSettings) canvas!: CanvasSettings;
  @Field(() => VersionConnection, { description: 'Newest first.' }) versions!: VersionConnection;
  @Field(() => HistoryConnection, { description: 'Newest first. The change log: one entry per committed change.' })
  history!: HistoryConnection;
  @Field(() => AutosaveConnection, { description: 'Autosaves of the last 7 days, newest first.' }) autosaves!: AutosaveConnection;
  @Field(() => [Collaborator]) collaborators!: Collaborator[];
  @Field(() => CollaboratorRole, {
    nullable: true,
    description: "The caller's role; null when the caller reads a public design without a role.",
  })
  viewerRole!: CollaboratorRole | null;
  @Field({ description: 'Whether the caller has a change of their own on this design to undo / redo.' }) canUndo!: boolean;
  @Field() canRedo!: boolean;
  @Field(() => ExportConnection, { description: 'Newest first.' }) exports!: ExportConnection;
  @Field(() => Render, { nullable: true, description: 'The newest completed render at default settings, or null.' })
  preview!: Render | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
  @Field(() => DateTimeScalar) lastEditedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) publishedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class DesignConnection extends connectionOf('Design', () => Design) {}

const MAX_LABELS = 50;

@InputType()
export class DesignFilter {
  @Field(() => DesignScope, { nullable: true, defaultValue: DesignScope.MINE }) scope?: DesignScope | null;
  @Field(() => [DesignStatus], { nullable: true }) status?: DesignStatus[] | null;
  @Field(() => [DesignCategory], { nullable: true }) category?: DesignCategory[] | null;
  @ArrayMaxSize(MAX_LABELS)
  @EachLength(1, 50)
  @Field(() => [String], { nullable: true, description: 'A design matches when it has every tag listed.' })
  tags?: string[] | null;
  @MaxLength(100) @Field(() => ID, { nullable: true }) avatarId?: string | null;
  @MaxLength(200) @Field(() => String, { nullable: true, description: 'Case-insensitive match on name and description.' }) search?:
    string | null;
}

@InputType()
export class CreateDesignInput {
  @IsUUID('all', { message: 'must be a UUID' })
  @Field(() => ID, {
    nullable: true,
    description:
      'Optional client-generated UUID. Creating again with the same id and the same caller returns the existing design (idempotent retry).',
  })
  id?: string;
  @IsName() @Field() name!: string;
  @MaxLength(TEXT_MAX.description) @Field(() => String, { nullable: true }) description?: string | null;
  @MaxLength(100) @Field(() => ID, { nullable: true, description: 'Must exist in the avatar subgraph.' }) avatarId?: string | null;
  @Field(() => DesignCategory, { nullable: true }) category?: DesignCategory | null;
  @ArrayMaxSize(MAX_LABELS) @EachLength(1, 50) @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @ArrayMaxSize(MAX_LABELS) @EachLength(1, 50) @Field(() => [String], { nullable: true }) occasions?: string[] | null;
  @ArrayMaxSize(MAX_LABELS) @EachLength(1, 50) @Field(() => [String], { nullable: true }) seasons?: string[] | null;
  @Field(() => DesignVisibility, { nullable: true, defaultValue: DesignVisibility.PRIVATE }) visibility?: DesignVisibility | null;
}

@InputType()
export class UpdateDesignInput {
  @IsName() @Field(() => String, { nullable: true }) name?: string | null;
  @MaxLength(TEXT_MAX.description) @Field(() => String, { nullable: true }) description?: string | null;
  @MaxLength(100) @Field(() => ID, { nullable: true }) avatarId?: string | null;
  @Field(() => DesignCategory, { nullable: true }) category?: DesignCategory | null;
  @ArrayMaxSize(MAX_LABELS) @EachLength(1, 50) @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @ArrayMaxSize(MAX_LABELS) @EachLength(1, 50) @Field(() => [String], { nullable: true }) occasions?: string[] | null;
  @ArrayMaxSize(MAX_LABELS) @EachLength(1, 50) @Field(() => [String], { nullable: true }) seasons?: string[] | null;
  @Field(() => DesignVisibility, { nullable: true }) visibility?: DesignVisibility | null;
}
