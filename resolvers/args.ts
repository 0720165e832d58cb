import { Arg, Int } from 'type-graphql';

/** The optional `expectedRevision` every design-changing mutation takes (stale: CONFLICT). */
export const ExpectedRevisionArg = () => Arg('expectedRevision', () => Int, { nullable: true });
