import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import type { CommentEntity } from '../entities/comment.entity';
import { inTransaction, type ServiceContext } from '../src/context';
import type { CommentEventMessage } from '../src/events/comment-event';
import { addComment } from '../src/services/comments/add-comment';
import { deleteComment } from '../src/services/comments/delete-comment';
import { editComment } from '../src/services/comments/edit-comment';
import { listComments } from '../src/services/comments/list-comments';
import { replyToComment } from '../src/services/comments/reply-to-comment';
import { resolveComment } from '../src/services/comments/resolve-comment';
import { commentEventCursor, commentEvents } from '../src/services/live/comment-events';
import { AddCommentInput, Comment, CommentConnection, CommentEvent } from './types/comment.type';
import { Design } from './types/design.type';
import { User } from './types/federation.type';
import { Layer } from './types/layer.type';
import { PageArgs } from './types/page-args.type';
import { Version } from './types/version.type';

@ArgsType()
class CommentFilterArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only resolved threads (true) or open ones (false); all when null.' })
  resolved?: boolean | null;
  @Field(() => ID, { nullable: true, description: 'Only threads pinned to this layer.' }) layerId?: string | null;
}

interface CommentEventsArgs {
  designId: string;
  after?: string | null;
}

@Resolver(() => Comment)
export class CommentResolver {
  @Mutation(() => Comment, { description: 'A new thread on the design (COMMENTER and up).' })
  async addComment(
    @Arg('designId', () => ID) designId: string,
    @Arg('input', () => AddCommentInput) input: AddCommentInput,
    @Ctx() ctx: ServiceContext,
  ) {
    return (await inTransaction(ctx, (tx) => addComment(tx, { ...input, designId }))).comment;
  }

  @Mutation(() => Comment, { description: "A reply in the comment's thread (COMMENTER and up); a reply to a reply joins the same thread." })
  async replyToComment(@Arg('id', () => ID) id: string, @Arg('body') body: string, @Ctx() ctx: ServiceContext) {
    return (await inTransaction(ctx, (tx) => replyToComment(tx, { commentId: id, body }))).comment;
  }

  @Mutation(() => Comment, { description: "A new body for the caller's own comment." })
  async editComment(@Arg('id', () => ID) id: string, @Arg('body') body: string, @Ctx() ctx: ServiceContext) {
    return (await inTransaction(ctx, (tx) => editComment(tx, { commentId: id, body }))).comment;
  }

  @Mutation(() => ID, {
    description: "Deletes the comment (its author, or the design's owner); a thread's first comment takes its replies with it.",
  })
  deleteComment(@Arg('id', () => ID) id: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => deleteComment(tx, { commentId: id }));
  }

  @Mutation(() => Comment, { description: 'Resolves or reopens a thread (its author, or EDITOR and up).' })
  resolveComment(@Arg('id', () => ID) id: string, @Arg('resolved') resolved: boolean, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => resolveComment(tx, { commentId: id, resolved }));
  }

  @Subscription(() => CommentEvent, {
    subscribe: ({ args, context }) =>
      commentEvents(context as ServiceContext, (args as CommentEventsArgs).designId, (args as CommentEventsArgs).after),
    description:
      "The design's comment events in order, for callers who may read it. With after (an event's cursor), the events after it are replayed first, then live events follow with no gap and no duplicate.",
  })
  commentEvents(
    @Root() message: CommentEventMessage,
    @Ctx() ctx: ServiceContext,
    @Arg('designId', () => ID) _designId: string,
    @Arg('after', () => String, { nullable: true }) _after?: string,
  ): CommentEvent & { actorId: string } {
    // As for designChanged: each event reads today's rows through loaders of its own.
    ctx.releaseLoaders();
    const { type, designId, commentId, parentId, actorId, at } = message;
    return { type, cursor: commentEventCursor(message), designId, commentId, parentId, actorId, at: new Date(at) };
  }

  @FieldResolver(() => Design)
  design(@Root() comment: CommentEntity, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.readableDesign.load(comment.designId);
  }

  @FieldResolver(() => User)
  author(@Root() comment: CommentEntity): User {
    return { id: comment.authorId };
  }

  @FieldResolver(() => [User])
  mentions(@Root() comment: CommentEntity): User[] {
    return comment.mentionIds.map((id) => ({ id }));
  }

  @FieldResolver(() => Layer, { nullable: true, description: 'Null when unpinned, or while the layer is not in the design.' })
  async layer(@Root() comment: CommentEntity, @Ctx() ctx: ServiceContext) {
    if (!comment.layerId) return null;
    const layer = await ctx.loaders.layer.load(comment.layerId);
    return layer?.designId === comment.designId ? layer : null;
  }

  @FieldResolver(() => Version, { nullable: true })
  version(@Root() comment: CommentEntity, @Ctx() ctx: ServiceContext) {
    return comment.versionId ? ctx.loaders.version.load(comment.versionId) : null;
  }

  @FieldResolver(() => Comment, { nullable: true, description: 'The thread a reply belongs to; null for a thread.' })
  parent(@Root() comment: CommentEntity, @Ctx() ctx: ServiceContext) {
    return comment.parentId ? ctx.loaders.readableComment.load(comment.parentId) : null;
  }

  @FieldResolver(() => [Comment], { description: 'Oldest first; empty for a reply.' })
  replies(@Root() comment: CommentEntity, @Ctx() ctx: ServiceContext) {
    return comment.parentId ? [] : ctx.loaders.replies.load(comment.id);
  }

  @FieldResolver(() => Boolean)
  resolved(@Root() comment: CommentEntity): boolean {
    return comment.resolvedAt !== null;
  }

  @FieldResolver(() => User, { nullable: true })
  resolvedBy(@Root() comment: CommentEntity): User | null {
    return comment.resolvedBy ? { id: comment.resolvedBy } : null;
  }
}

@Resolver(() => CommentEvent)
export class CommentEventResolver {
  @FieldResolver(() => Comment, { nullable: true })
  comment(@Root() event: CommentEvent, @Ctx() ctx: ServiceContext) {
    return ctx.loaders.readableComment.load(event.commentId);
  }

  @FieldResolver(() => User)
  actor(@Root() event: CommentEvent & { actorId: string }): User {
    return { id: event.actorId };
  }
}

@Resolver(() => Design)
export class DesignCommentsResolver {
  @FieldResolver(() => CommentConnection, {
    description: "The design's threads (top-level comments), newest first, each with its replies.",
  })
  comments(@Root() design: { id: string }, @Ctx() ctx: ServiceContext, @Args(() => CommentFilterArgs) args: CommentFilterArgs) {
    return listComments(ctx, { designId: design.id, ...args });
  }
}
