import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { inTransaction, type ServiceContext } from '../src/context';
import { updateCanvasSettings } from '../src/services/canvas/update-canvas-settings';
import { CanvasSettings, CanvasSettingsInput } from './types/canvas.type';
import { ExpectedRevisionArg } from './args';

@Resolver(() => CanvasSettings)
export class CanvasResolver {
  @Mutation(() => CanvasSettings)
  updateCanvasSettings(
    @Arg('designId', () => ID) designId: string,
    @Arg('input', () => CanvasSettingsInput) input: CanvasSettingsInput,
    @Ctx() ctx: ServiceContext,
    @ExpectedRevisionArg() expectedRevision?: number,
  ) {
    return inTransaction(ctx, (tx) => updateCanvasSettings(tx, { designId, input, expectedRevision }));
  }
}
