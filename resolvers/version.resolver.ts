import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { VersionEntity } from '../entities/version.entity';
import { inTransaction, type ServiceContext } from '../src/context';
import { createCheckpoint } from '../src/services/versions/create-checkpoint';
import { restoreAutosave, restoreVersion } from '../src/services/versions/restore';
import { diffVersions } from '../src/services/versions/version-queries';
import type { AutosaveRecord } from '../src/storage/snapshot-store';
import { ExpectedRevisionArg } from './args';
import { snapshotView } from './snapshot-view';
import { CheckpointMessageArgs } from './types/text-args.type';
import { Design } from './types/design.type';
import { User } from './types/federation.type';
import { Autosave, DesignDiff, DesignSnapshot, Version } from './types/version.type';

@Resolver(() => Version)
export class VersionResolver {
  @Query(() => DesignDiff)
  designDiff(
    @Arg('designId', () => ID) designId: string,
    @Arg('fromVersion', () => Int) fromVersion: number,
    @Arg('toVersion', () => Int) toVersion: number,
    @Ctx() ctx: ServiceContext,
  ) {
    return diffVersions(ctx, { designId, fromVersion, toVersion });
  }

  @Mutation(() => Version)
  createCheckpoint(
    @Arg('designId', () => ID) designId: string,
    @Ctx() ctx: ServiceContext,
    @Args(() => CheckpointMessageArgs) { message }: CheckpointMessageArgs,
  ) {
    return inTransaction(ctx, (tx) => createCheckpoint(tx, { designId, message }));
  }

  @Mutation(() => Design, { description: 'Makes the state of that version current, as a new change; creates a Version of kind RESTORE.' })
  restoreVersion(
    @Arg('designId', () => ID) designId: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: ServiceContext,
    @ExpectedRevisionArg() expectedRevision?: number,
  ) {
    return inTransaction(ctx, (tx) => restoreVersion(tx, { designId, version, expectedRevision }));
  }

  @Mutation(() => Design)
  restoreAutosave(
    @Arg('designId', () => ID) designId: string,
    @Arg('number', () => Int) number: number,
    @Ctx() ctx: ServiceContext,
    @ExpectedRevisionArg() expectedRevision?: number,
  ) {
    return inTransaction(ctx, (tx) => restoreAutosave(tx, { designId, number, expectedRevision }));
  }

  @FieldResolver(() => User, { nullable: true })
  createdBy(@Root() version: VersionEntity): User | null {
    return version.createdBy ? { id: version.createdBy } : null;
  }

  @FieldResolver(() => DesignSnapshot)
  async snapshot(@Root() version: VersionEntity, @Ctx() ctx: ServiceContext) {
    const snapshot = await ctx.loaders.snapshot.load(version.snapshotId);
    if (!snapshot) throw new Error(`snapshot ${version.snapshotId} of version ${version.number} is missing from the store`);
    return snapshotView(version.designId, snapshot.state, new Date(version.createdAt));
  }

  @FieldResolver(() => DesignDiff, { nullable: true })
  diff(@Root() version: VersionEntity) {
    return version.diff;
  }
}

@Resolver(() => Autosave)
export class AutosaveResolver {
  @FieldResolver(() => DesignSnapshot)
  snapshot(@Root() autosave: AutosaveRecord) {
    return snapshotView(autosave.designId, autosave.state, autosave.createdAt);
  }
}
