import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { logger } from '../logger';
import type { CommentEventMessage } from './comment-event';
import { DesignEventType, type DesignEventMessage } from './design-event';
import type { PresenceMessage } from './presence-event';

/**
 * What travels on a design's channel: its events, its comments' events (src/events/comment-event.ts)
 * and who is in it (src/events/presence-event.ts). One SUBSCRIBE per design and replica serves all three.
 */
export type BusMessage = DesignEventMessage | CommentEventMessage | PresenceMessage;

/** Whoever listens to one design's events (its changes and its comments'); called synchronously, once per event, in arrival order. */
export interface EventReceiver {
  receive(message: BusMessage): void;
}

/** The one way to publish and receive design events across replicas. */
export interface EventBus {
  /** Never throws: PostgreSQL is the truth, and subscribers fill gaps from the change log. */
  publish(message: BusMessage): Promise<void>;
  /**
   * Hands `receiver` every event of the design from now until `unlisten`. Resolves once Redis has
   * confirmed the design's channel. Throws at once while Redis is not connected: the caller answers
   * with a retryable error.
   */
  listen(designId: string, receiver: EventReceiver): Promise<void>;
  /** Idempotent; the last local receiver of a design to go lets its channel go. */
  unlisten(designId: string, receiver: EventReceiver): void;
  /** How many designs this process listens to now. */
  listenedDesigns(): number;
  close(): Promise<void>;
}

/** Receivers of one channel, and the one SUBSCRIBE they share. */
interface Channel {
  designId: string;
  receivers: Set<EventReceiver>;
  ready: Promise<void>;
}

export function createRedisEventBus(redisUrl: string, prefix: string): EventBus {
  // Channels are not keys: ioredis' keyPrefix does not apply, so the prefix goes into the topic.
  const topic = (designId: string) => `${prefix}design:${designId}:events`;
  const options = { maxRetriesPerRequest: 3, enableOfflineQueue: true };
  const publisher = new Redis(redisUrl, options);
  const subscriber = new Redis(redisUrl, options);
  for (const client of [publisher, subscriber]) client.on('error', (err) => logger.warn({ err }, 'event bus redis error'));

  // One Redis subscription per design on this replica, however many local subscribers it has: each
  // message is parsed once and handed to every receiver of the design in process.
  const channels = new Map<string, Channel>();
  const deliver = (channel: Channel, message: BusMessage) => {
    for (const receiver of channel.receivers) {
      try {
        receiver.receive(message);
      } catch (err) {
        logger.warn({ err, designId: channel.designId }, 'event receiver failed');
      }
    }
  };
  // What this replica publishes its own receivers get at once, not after a trip through Redis (two
  // more processes to wake on a busy machine: most of an event's latency). The copy Redis brings
  // back begins with this replica's origin and is dropped; other replicas read past the field.
  const origin = randomUUID();
  const ownPrefix = `{"origin":"${origin}"`;
  subscriber.on('message', (name: string, text: string) => {
    const channel = channels.get(name);
    if (!channel || text.startsWith(ownPrefix)) return;
    let message: BusMessage;
    try {
      message = JSON.parse(text) as BusMessage;
    } catch (err) {
      logger.warn({ err, channel: name }, 'event bus message is not JSON');
      return;
    }
    deliver(channel, message);
  });

  // Events published while this replica's subscriber was disconnected are gone for it. Once it is
  // back (ioredis has subscribed again by 'ready'), each design it listens to gets a resync marker,
  // which makes its subscribers catch up from the change log.
  let connectedBefore = false;
  subscriber.on('ready', () => {
    if (connectedBefore) {
      for (const { designId } of channels.values()) {
        void publish({
          designId,
          revision: 0,
          actorId: null,
          at: new Date().toISOString(),
          type: DesignEventType.DESIGN_UPDATED,
          sideband: true,
          resync: true,
        });
      }
    }
    connectedBefore = true;
  });

  async function publish(message: BusMessage) {
    const name = topic(message.designId);
    try {
      const text = JSON.stringify({ origin, ...message });
      const local = channels.get(name);
      // Parsed like Redis' copy, so that local receivers get exactly what the other replicas' get.
      if (local) deliver(local, JSON.parse(text) as BusMessage);
      await publisher.publish(name, text);
    } catch (error) {
      const position = 'seq' in message ? { seq: message.seq } : 'revision' in message ? { revision: message.revision } : {};
      logger.warn({ err: error, designId: message.designId, ...position }, 'event not published');
    }
  }

  function listen(designId: string, receiver: EventReceiver): Promise<void> {
    // SUBSCRIBE would wait in ioredis' offline queue, then fail: while Redis is away, refuse at once.
    if (subscriber.status !== 'ready') throw new Error(`Redis is not connected (${subscriber.status})`);
    const name = topic(designId);
    let channel = channels.get(name);
    if (!channel) {
      const created: Channel = { designId, receivers: new Set(), ready: subscriber.subscribe(name).then(() => undefined) };
      // A channel Redis refused is forgotten, so that the next subscriber asks again.
      created.ready.catch((err: unknown) => {
        logger.warn({ err, designId }, 'event bus SUBSCRIBE failed');
        if (channels.get(name) === created) channels.delete(name);
      });
      channels.set(name, (channel = created));
    }
    channel.receivers.add(receiver);
    return channel.ready;
  }

  function unlisten(designId: string, receiver: EventReceiver) {
    const name = topic(designId);
    const channel = channels.get(name);
    if (!channel?.receivers.delete(receiver) || channel.receivers.size > 0) return;
    channels.delete(name);
    // Ending a subscription Redis never confirmed (it was away) has nothing to undo; while Redis is
    // away, UNSUBSCRIBE fails, and the channel goes with the connection anyway.
    subscriber.unsubscribe(name).catch((err: unknown) => logger.warn({ err, designId }, 'event bus UNSUBSCRIBE failed'));
  }

  return {
    publish,
    listen,
    unlisten,
    listenedDesigns: () => channels.size,
    async close() {
      channels.clear();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
