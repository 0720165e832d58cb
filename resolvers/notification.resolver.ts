import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { inTransaction, type ServiceContext } from '../src/context';
import { notificationSettings, updateNotificationSettings } from '../src/services/notifications/settings';
import { NotificationSetting, NotificationSettingInput } from './types/notification.type';

@Resolver(() => NotificationSetting)
export class NotificationSettingsResolver {
  @Query(() => [NotificationSetting], { description: "The caller's e-mail setting for every kind (signed in only)." })
  notificationSettings(@Ctx() ctx: ServiceContext) {
    return notificationSettings(ctx);
  }

  @Mutation(() => [NotificationSetting], {
    description: 'Turns e-mail for the kinds named on or off (each kind at most once); answers every kind.',
  })
  updateNotificationSettings(
    @Arg('input', () => [NotificationSettingInput]) input: NotificationSettingInput[],
    @Ctx() ctx: ServiceContext,
  ) {
    return inTransaction(ctx, (tx) => updateNotificationSettings(tx, { settings: input.map(({ kind, email }) => ({ kind, email })) }));
  }
}
