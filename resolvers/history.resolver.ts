import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { HistoryEntryEntity } from '../entities/history-entry.entity';
import { User } from './types/federation.type';
import { HistoryEntry } from './types/history.type';

@Resolver(() => HistoryEntry)
export class HistoryEntryResolver {
  @FieldResolver(() => User, { nullable: true })
  actor(@Root() entry: HistoryEntryEntity): User | null {
    return entry.actorId ? { id: entry.actorId } : null;
  }
}
