import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { loadConfig } from '../src/config';
import { DesignEventType, type DesignEventMessage } from '../src/events/design-event';
import { createRedisEventBus, type BusMessage } from '../src/events/event-bus';
import { pollUntil } from './helpers';

describe('event bus: one channel per design across replicas', () => {
  test('the publishing replica’s receivers get its event at once and once (Redis’ copy is dropped); another replica’s get it once, through Redis', async () => {
    const config = loadConfig(process.env);
    const prefix = `${config.redisPrefix}bus-${randomUUID().slice(0, 8)}:`;
    const [here, there] = [createRedisEventBus(config.redisUrl, prefix), createRedisEventBus(config.redisUrl, prefix)];
    try {
      const designId = randomUUID();
      const seen = { here: [] as BusMessage[], there: [] as BusMessage[] };
      await pollUntil(
        async () => {
          try {
            await Promise.all([
              here.listen(designId, { receive: (m) => void seen.here.push(m) }),
              there.listen(designId, { receive: (m) => void seen.there.push(m) }),
            ]);
            return true;
          } catch {
            return false; // not connected yet
          }
        },
        (listening) => listening,
      );
      const event: DesignEventMessage = {
        designId,
        revision: 7,
        actorId: null,
        at: new Date().toISOString(),
        type: DesignEventType.LAYER_REMOVED,
        layerId: randomUUID(),
      };
      const published = here.publish(event);
      assert.equal(seen.here.length, 1, 'delivered here before Redis answered');
      await published;
      await pollUntil(
        async () => seen.there.length,
        (n) => n > 0,
      );
      // A round trip through Redis for a marker published after it: by then any copy of the first has arrived.
      const marker = { ...event, revision: 8 };
      await there.publish(marker);
      await pollUntil(
        async () => seen.here.length,
        (n) => n > 1,
      );
      const revisions = (messages: BusMessage[]) => messages.map((m) => (m as DesignEventMessage).revision);
      assert.deepEqual(revisions(seen.here), [7, 8]);
      assert.deepEqual(revisions(seen.there), [7, 8]);
      assert.deepEqual({ ...seen.there[0], origin: undefined }, { ...event, origin: undefined }, 'the same message on both');
    } finally {
      await Promise.all([here.close(), there.close()]);
    }
  });
});
