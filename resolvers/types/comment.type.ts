import { ValidateNested } from 'class-validator';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CommentEventType } from '../../src/events/comment-event';
import { Vec3, Vec3Input } from './geometry.type';
import { connectionOf } from './page.type';
import { DateTimeScalar } from './scalars';

registerEnumType(CommentEventType, { name: 'CommentEventType' });

@Directive('@key(fields: "id")')
@ObjectType({
  simpleResolvers: true,
  description:
    'A comment on a design, or a reply in its thread (one level). Not a change of the design: writing one does not move its revision (docs/collaboration.md, CM9).',
})
export class Comment {
  @Field(() => ID) id!: string;
  @Field({ description: 'Plain text, 1 to 5000 characters; @[user-uuid] marks a mention.' }) body!: string;
  @Field(() => Vec3, { nullable: true, description: 'A point on the avatar, model space, metres.' }) anchor!: Vec3 | null;
  @Field(() => Int, { description: 'The design revision the comment was written against.' }) revision!: number;
  @Field(() => DateTimeScalar, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) editedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class CommentConnection extends connectionOf('Comment', () => Comment) {
  @Field({
    description:
      "Where the design's comment events stood when this page was read: pass it as commentEvents' after to miss nothing from then on (events already reflected here may come again).",
  })
  eventCursor!: string;
}

@InputType()
export class AddCommentInput {
  @Field({ description: 'Plain text, 1 to 5000 characters; @[user-uuid] mentions a user who may read the design.' }) body!: string;
  @Field(() => ID, { nullable: true, description: 'A layer of the design as it is now.' }) layerId?: string | null;
  @ValidateNested() @Field(() => Vec3Input, { nullable: true }) anchor?: Vec3Input | null;
  @Field(() => ID, { nullable: true, description: 'A version of the design.' }) versionId?: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Something that happened to a comment of the design. `comment` is the comment as it is now: null once deleted.',
})
export class CommentEvent {
  @Field(() => CommentEventType) type!: CommentEventType;
  @Field({ description: 'Pass as `after` to commentEvents to resume behind this event.' }) cursor!: string;
  @Field(() => ID) designId!: string;
  @Field(() => ID) commentId!: string;
  @Field(() => ID, { nullable: true, description: 'The thread a reply belongs to.' }) parentId!: string | null;
  @Field(() => DateTimeScalar) at!: Date;
}
