import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { NotificationKind } from '../../src/domain/notifications';

registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a user may be told about by e-mail.',
  valuesConfig: {
    EXPORT_COMPLETED: { description: 'An export you asked for is ready: its signed download link and until when it works.' },
    EXPORT_FAILED: { description: 'An export you asked for failed after its last attempt.' },
    COLLABORATOR_ADDED: { description: 'Someone added you to a design.' },
    LINK_JOINED: { description: 'Someone joined a design you own through a share link.' },
    MENTIONED: { description: 'Someone mentioned you in a comment.' },
    COMMENT_REPLY: { description: 'Someone replied to your comment.' },
  },
});

@ObjectType({ simpleResolvers: true, description: "The caller's choice for one kind of notification." })
export class NotificationSetting {
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field({ description: 'Sent by e-mail; true until turned off.' }) email!: boolean;
}

@InputType()
export class NotificationSettingInput {
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field() email!: boolean;
}
