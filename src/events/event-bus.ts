import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { logger } from '../logger';
import { DesignEventType, type DesignEventMessage } from './design-event';

/** A live subscription to one design's events: `ready` resolves once Redis has confirmed it. */
export interface LiveEvents extends AsyncIterableIterator<DesignEventMessage> {
  ready: Promise<void>;
  return(): Promise<IteratorResult<DesignEventMessage>>;
}

/** The one way to publish and receive design events across replicas. */
export interface EventBus {
  /** Never throws: PostgreSQL is the truth, and subscribers fill gaps from the change log. */
  publish(message: DesignEventMessage): Promise<void>;
  /** Throws at once while Redis is not connected: the caller answers with a retryable error. */
  subscribe(designId: string): LiveEvents;
  close(): Promise<void>;
}

export function createRedisEventBus(redisUrl: string, prefix: string): EventBus {
  // Channels are not keys: ioredis' keyPrefix does not apply, so the prefix goes into the topic.
  const topic = (designId: string) => `${prefix}design:${designId}:events`;
  const options = { maxRetriesPerRequest: 3, enableOfflineQueue: true };
  const publisher = new Redis(redisUrl, options);
  const subscriber = new Redis(redisUrl, options);
  for (const client of [publisher, subscriber]) client.on('error', (err) => logger.warn({ err }, 'event bus redis error'));
  // graphql-redis-subscriptions starts UNSUBSCRIBE without waiting for it: while Redis is away its
  // rejection would be unhandled and end the process. Every (un)subscribe it starts is watched here.
  const watched = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe']);
  const subscriberForPubSub = new Proxy(subscriber, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (!watched.has(String(property))) return value.bind(target);
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (result instanceof Promise)
          result.catch((err: unknown) => logger.warn({ err, command: property }, 'event bus redis command failed'));
        return result;
      };
    },
  });
  const pubsub = new RedisPubSub({ publisher, subscriber: subscriberForPubSub });

  // Events published while this replica's subscriber was disconnected are gone for it. Once it is
  // back (ioredis has subscribed again by 'ready'), each design it listens to gets a resync marker,
  // which makes its subscribers catch up from the change log.
  const listening = new Map<string, number>();
  let connectedBefore = false;
  subscriber.on('ready', () => {
    if (connectedBefore) {
      for (const designId of listening.keys()) {
        void pubsub.publish(topic(designId), {
          designId,
          revision: 0,
          actorId: null,
          at: new Date().toISOString(),
          type: DesignEventType.DESIGN_UPDATED,
          sideband: true,
          resync: true,
        } satisfies DesignEventMessage);
      }
    }
    connectedBefore = true;
  });

  return {
    async publish(message) {
      try {
        await pubsub.publish(topic(message.designId), message);
      } catch (error) {
        logger.warn({ err: error, designId: message.designId, revision: message.revision }, 'event not published');
      }
    },
    subscribe(designId) {
      // graphql-redis-subscriptions leaves a promise of its own unhandled when SUBSCRIBE fails, which
      // ends the process: while Redis is away, refuse here instead of asking it.
      if (subscriber.status !== 'ready') throw new Error(`Redis is not connected (${subscriber.status})`);
      const iterator = pubsub.asyncIterator<DesignEventMessage>(topic(designId));
      listening.set(designId, (listening.get(designId) ?? 0) + 1);
      // subscribeAll() resolves when Redis has acknowledged SUBSCRIBE; the typings keep it private.
      const ready = (iterator as unknown as { subscribeAll(): Promise<unknown> }).subscribeAll().then(() => undefined);
      const end = iterator.return.bind(iterator);
      let ended = false;
      const live = Object.assign(iterator, {
        ready,
        async return() {
          if (!ended) {
            ended = true;
            const left = (listening.get(designId) ?? 1) - 1;
            if (left > 0) listening.set(designId, left);
            else listening.delete(designId);
          }
          // Ending a subscription Redis never confirmed (it was away) has nothing to undo.
          return end().catch((err: unknown) => {
            logger.warn({ err, designId }, 'live events ended without Redis');
            return { value: undefined, done: true as const };
          });
        },
      });
      return live as unknown as LiveEvents;
    },
    async close() {
      await pubsub.close();
    },
  };
}
