import { Arg, ID, Mutation, Resolver } from 'type-graphql';
import { DesignError, ErrorCode } from '../src/errors/design-error';
import { Design } from './types/design.type';
import { Export, ExportInput } from './types/output.type';

/**
 * The contract's operations whose feature comes next (the export pipeline, issue 5). They answer
 * NOT_IMPLEMENTED rather than anything made up; each moves to its own resolver when it is built.
 */
const notYet = (feature: string): never => {
  throw new DesignError(ErrorCode.NotImplemented, `${feature} is not implemented yet`);
};

@Resolver(() => Design)
export class NotImplementedResolver {
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
}

