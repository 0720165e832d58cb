import { ValidateNested } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { PresenceEventType, type PresenceEntryJson } from '../../src/domain/presence';
import { Camera, CameraInput } from './canvas.type';
import { CollaboratorRole } from './enums';
import { User } from './federation.type';
import { DateTimeScalar } from './scalars';

registerEnumType(PresenceEventType, { name: 'PresenceEventType' });

@ObjectType({
  simpleResolvers: true,
  description: 'One client session in a design: ephemeral (Redis), never in the change log, no revision.',
})
export class PresenceEntry {
  @Field(() => User) user!: User;
  @Field(() => ID, { description: 'Chosen by the client, one per connection; a user may have several.' }) sessionId!: string;
  @Field(() => CollaboratorRole, {
    nullable: true,
    description: "The user's collaborator role; null for a reader who is not a collaborator.",
  })
  role!: CollaboratorRole | null;
  @Field(() => [ID]) selectedLayerIds!: string[];
  @Field(() => Camera, { nullable: true }) camera!: Camera | null;
  @Field(() => String, { nullable: true, description: '#rrggbb chosen by the client for its cursor and selection.' }) color!: string | null;
  @Field(() => DateTimeScalar, { description: 'The last update; the entry leaves PRESENCE_TTL_MS (30 s) after it.' }) lastSeenAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class PresenceEvent {
  @Field(() => PresenceEventType) type!: PresenceEventType;
  @Field(() => PresenceEntry) entry!: PresenceEntry;
  @Field(() => [PresenceEntry], { description: 'Everyone in the design once the change is made.' }) present!: PresenceEntry[];
}

@InputType({ description: "An absent field keeps the session's value; a camera merges part by part with the session's." })
export class PresenceInput {
  @Field(() => [ID], { nullable: true, description: 'Layers of the design, at most 500; [] clears the selection.' })
  selectedLayerIds?: string[] | null;
  @ValidateNested() @Field(() => CameraInput, { nullable: true }) camera?: CameraInput | null;
  @Field(() => String, { nullable: true, description: '#rrggbb' }) color?: string | null;
}

export function presenceEntry(json: PresenceEntryJson): PresenceEntry {
  const { userId, lastSeenAt, ...rest } = json;
  return { ...rest, user: { id: userId }, lastSeenAt: new Date(lastSeenAt) };
}
