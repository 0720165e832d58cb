import { Arg, FieldResolver, ID, Int, Mutation, Query, Resolver, Subscription } from 'type-graphql';
import { DesignError, ErrorCode } from '../src/errors/design-error';
import { Design } from './types/design.type';
import { Export, ExportConnection, ExportInput, Render, RenderSettingsInput } from './types/output.type';
import { AutosaveConnection, DesignDiff, Version, VersionConnection } from './types/version.type';
import { ExpectedRevisionArg } from './args';

/**
 * The contract's operations whose features come in later issues (versions, undo/redo, autosave,
 * live events: issue 4; renders and exports: issue 5). They answer NOT_IMPLEMENTED rather than
 * anything made up; each moves to its own resolver when it is built.
 */
const notYet = (feature: string): never => {
  throw new DesignError(ErrorCode.NotImplemented, `${feature} is not implemented yet`);
};

@Resolver(() => Design)
export class NotImplementedResolver {
  @Query(() => DesignDiff)
  designDiff(@Arg('designId', () => ID) _d: string, @Arg('fromVersion', () => Int) _f: number, @Arg('toVersion', () => Int) _t: number): DesignDiff {
    return notYet('designDiff');
  }

  @Query(() => Render, { nullable: true })
  render(@Arg('id', () => ID) _id: string): Render {
    return notYet('render');
  }

  @Query(() => Export, { nullable: true })
  export(@Arg('id', () => ID) _id: string): Export {
    return notYet('export');
  }

  @Mutation(() => Design, { description: 'Copies the design, its layers, groups and canvas into a new design owned by the caller; the source\'s forkCount grows by one.' })
  forkDesign(@Arg('id', () => ID) _id: string, @Arg('name', () => String, { nullable: true }) _name?: string): Design {
    return notYet('forkDesign');
  }

  @Mutation(() => Design, { description: 'Reverts the caller\'s newest change on this design that is not yet undone.' })
  undo(@Arg('designId', () => ID) _designId: string): Design {
    return notYet('undo');
  }

  @Mutation(() => Design, { description: 'Re-applies the caller\'s newest undone change; any new change of the caller clears the redo stack.' })
  redo(@Arg('designId', () => ID) _designId: string): Design {
    return notYet('redo');
  }

  @Mutation(() => Version)
  createCheckpoint(@Arg('designId', () => ID) _designId: string, @Arg('message', () => String, { nullable: true }) _message?: string): Version {
    return notYet('createCheckpoint');
  }

  @Mutation(() => Design, { description: 'Makes the state of that version current, as a new change; creates a Version of kind RESTORE.' })
  restoreVersion(
    @Arg('designId', () => ID) _designId: string,
    @Arg('version', () => Int) _version: number,
    @ExpectedRevisionArg() _expectedRevision?: number,
  ): Design {
    return notYet('restoreVersion');
  }

  @Mutation(() => Design)
  restoreAutosave(
    @Arg('designId', () => ID) _designId: string,
    @Arg('number', () => Int) _number: number,
    @ExpectedRevisionArg() _expectedRevision?: number,
  ): Design {
    return notYet('restoreAutosave');
  }

  @Mutation(() => Render, { description: 'Returns at once: a COMPLETED cache hit, or a QUEUED render that a worker completes (RENDER_UPDATED events).' })
  requestRender(
    @Arg('designId', () => ID) _designId: string,
    @Arg('settings', () => RenderSettingsInput, { nullable: true }) _settings?: RenderSettingsInput,
  ): Render {
    return notYet('requestRender');
  }

  @Mutation(() => Export, { description: 'Returns at once with a QUEUED export that a worker processes (EXPORT_UPDATED events).' })
  exportDesign(@Arg('designId', () => ID) _designId: string, @Arg('input', () => ExportInput) _input: ExportInput): Export {
    return notYet('exportDesign');
  }

  @Mutation(() => Export)
  cancelExport(@Arg('id', () => ID) _id: string): Export {
    return notYet('cancelExport');
  }

  @Mutation(() => Export, { description: 'Queues a FAILED or CANCELLED export again.' })
  retryExport(@Arg('id', () => ID) _id: string): Export {
    return notYet('retryExport');
  }

  @Subscription(() => Export, { subscribe: () => notYet('exportUpdated'), description: 'Each status or progress change of the export.' })
  exportUpdated(@Arg('exportId', () => ID) _exportId: string): Export {
    return notYet('exportUpdated');
  }

  @FieldResolver(() => VersionConnection, { description: 'Newest first.' })
  versions(@Arg('first', () => Int, { nullable: true, defaultValue: 20 }) _first?: number, @Arg('after', () => String, { nullable: true }) _after?: string): VersionConnection {
    return notYet('Design.versions');
  }

  @FieldResolver(() => AutosaveConnection)
  autosaves(@Arg('first', () => Int, { nullable: true, defaultValue: 20 }) _first?: number, @Arg('after', () => String, { nullable: true }) _after?: string): AutosaveConnection {
    return notYet('Design.autosaves');
  }

  @FieldResolver(() => ExportConnection)
  exports(@Arg('first', () => Int, { nullable: true, defaultValue: 20 }) _first?: number, @Arg('after', () => String, { nullable: true }) _after?: string): ExportConnection {
    return notYet('Design.exports');
  }

  @FieldResolver(() => Render, { nullable: true })
  preview(): Render {
    return notYet('Design.preview');
  }

  @FieldResolver(() => Boolean)
  canUndo(): boolean {
    return notYet('Design.canUndo');
  }

  @FieldResolver(() => Boolean)
  canRedo(): boolean {
    return notYet('Design.canRedo');
  }
}

