import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisEventBus } from '../src/events/event-bus';
import { DesignEventType } from '../src/events/design-event';
import { DESIGN_URL, makeDesign, makeUser, ok, okAsGateway, subscribe, withDb, graphql } from './helpers';

/** An export row as the pipeline writes it (the pipeline itself is the next issue). */
async function insertExport(designId: string, userId: string, status = 'QUEUED') {
  const id = randomUUID();
  await withDb((db) =>
    db.query(
      `INSERT INTO exports (id, design_id, requested_by, type, format, status, revision) VALUES ($1, $2, $3, 'IMAGE', 'PNG', $4, 1)`,
      [id, designId, userId, status],
    ),
  );
  return id;
}

describe('exports: reads and exportUpdated', () => {
  test('export(id), Design.exports and Export entities answer for callers who may read the design, newest first', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const first = await insertExport(id, owner.id);
    const second = await insertExport(id, owner.id, 'FAILED');
    const { export: exported } = await ok(
      owner,
      graphql(`
        query ($e: ID!) {
          export(id: $e) {
            id
            type
            format
            status
            progress
            retryCount
            fileUrl
            design {
              id
            }
          }
        }
      `),
      { e: first },
    );
    assert.deepEqual(exported, {
      id: first,
      type: 'IMAGE',
      format: 'PNG',
      status: 'QUEUED',
      progress: 0,
      retryCount: 0,
      fileUrl: null,
      design: { id },
    });
    const { design } = await ok(
      owner,
      graphql(`
        query ($d: ID!) {
          design(id: $d) {
            exports(first: 1) {
              totalCount
              pageInfo {
                hasNextPage
                endCursor
              }
              edges {
                node {
                  id
                }
              }
            }
          }
        }
      `),
      { d: id },
    );
    assert.equal(design!.exports.totalCount, 2);
    assert.deepEqual(
      design!.exports.edges.map((e) => e.node.id),
      [second],
    );
    const next = await ok(
      owner,
      graphql(`
        query ($d: ID!, $a: String) {
          design(id: $d) {
            exports(first: 5, after: $a) {
              edges {
                node {
                  id
                }
              }
            }
          }
        }
      `),
      { d: id, a: design!.exports.pageInfo.endCursor },
    );
    assert.deepEqual(
      next.design!.exports.edges.map((e) => e.node.id),
      [first],
    );
    const stranger = await makeUser();
    assert.equal(
      (
        await ok(
          stranger,
          graphql(`
            query ($e: ID!) {
              export(id: $e) {
                id
              }
            }
          `),
          { e: first },
        )
      ).export,
      null,
    );
    const entities = await okAsGateway<{ _entities: ({ id: string } | null)[] }>(
      stranger,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Export { id } } }`,
      {
        r: [{ __typename: 'Export', id: first }],
      },
    );
    assert.deepEqual(entities._entities, [null]);
  });

  test('exportUpdated sends the current state, then each update of that export, and ends with a final status', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner);
    const exportId = await insertExport(id, owner.id);
    const other = await insertExport(id, owner.id);
    const sub = subscribe(
      DESIGN_URL,
      owner,
      graphql(`
        subscription ($e: ID!) {
          exportUpdated(exportId: $e) {
            id
            status
            progress
          }
        }
      `),
      {
        e: exportId,
      },
    );
    await sub.waitFor(1);
    const bus = createRedisEventBus(process.env.REDIS_URL!, process.env.REDIS_PREFIX!);
    const publish = (exported: string, status: string, progress: number) =>
      bus.publish({
        designId: id,
        revision: 1,
        type: DesignEventType.EXPORT_UPDATED,
        actorId: null,
        at: new Date().toISOString(),
        sideband: true,
        export: {
          id: exported,
          designId: id,
          type: 'IMAGE',
          format: 'PNG',
          status,
          progress,
          retryCount: 0,
          createdAt: new Date().toISOString(),
        },
      });
    await publish(exportId, 'PROCESSING', 40);
    await publish(other, 'PROCESSING', 90);
    await publish(exportId, 'COMPLETED', 100);
    assert.deepEqual(await sub.ended, {});
    assert.deepEqual(
      sub.results.map((r) => r.data!.exportUpdated),
      [
        { id: exportId, status: 'QUEUED', progress: 0 },
        { id: exportId, status: 'PROCESSING', progress: 40 },
        { id: exportId, status: 'COMPLETED', progress: 100 },
      ],
    );
    const redis = new Redis(process.env.REDIS_URL!);
    const channel = `${process.env.REDIS_PREFIX}design:${id}:events`;
    for (let i = 0; i < 50 && Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]) > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(
      Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]),
      0,
      'the design topic is released when the export ends',
    );
    redis.disconnect();
    await bus.close();
    const hidden = subscribe(
      DESIGN_URL,
      await makeUser(),
      graphql(`
        subscription ($e: ID!) {
          exportUpdated(exportId: $e) {
            id
          }
        }
      `),
      { e: exportId },
    );
    await hidden.ended;
    assert.equal(hidden.results[0]!.errors![0].extensions!.code, 'NOT_FOUND');
  });
});
