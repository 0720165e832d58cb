import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { CollaboratorEntity } from '../entities/collaborator.entity';
import { inTransaction, type ServiceContext } from '../src/context';
import { addCollaborator, removeCollaborator, updateCollaborator } from '../src/services/collaborators/collaborators';
import { Collaborator } from './types/collaborator.type';
import { CollaboratorRole } from './types/enums';
import { User } from './types/federation.type';

@Resolver(() => Collaborator)
export class CollaboratorResolver {
  @Mutation(() => Collaborator)
  addCollaborator(
    @Arg('designId', () => ID) designId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => CollaboratorRole) role: CollaboratorRole,
    @Ctx() ctx: ServiceContext,
  ) {
    return inTransaction(ctx, (tx) => addCollaborator(tx, { designId, userId, role }));
  }

  @Mutation(() => Collaborator)
  updateCollaborator(
    @Arg('designId', () => ID) designId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => CollaboratorRole) role: CollaboratorRole,
    @Ctx() ctx: ServiceContext,
  ) {
    return inTransaction(ctx, (tx) => updateCollaborator(tx, { designId, userId, role }));
  }

  @Mutation(() => Boolean)
  removeCollaborator(@Arg('designId', () => ID) designId: string, @Arg('userId', () => ID) userId: string, @Ctx() ctx: ServiceContext) {
    return inTransaction(ctx, (tx) => removeCollaborator(tx, { designId, userId }));
  }

  @FieldResolver(() => User)
  user(@Root() collaborator: CollaboratorEntity): User {
    return { id: collaborator.userId };
  }
}
