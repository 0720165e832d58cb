import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Turns } from '../src/async/turns';

describe('writers’ turns per design (src/async/turns.ts)', () => {
  test('turns on one key go first come, first served; other keys do not wait', async () => {
    const turns = new Turns();
    const order: string[] = [];
    const hold = async (key: string, name: string, ms: number) => {
      const end = await turns.take(key, 5_000);
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name} out`);
      end();
    };
    await Promise.all([hold('a', 'a1', 30), hold('a', 'a2', 1), hold('b', 'b1', 1), hold('a', 'a3', 1)]);
    assert.deepEqual(order, ['a1 in', 'b1 in', 'b1 out', 'a1 out', 'a2 in', 'a2 out', 'a3 in', 'a3 out']);
  });

  test('a turn held past the longest wait is overtaken, and the queue goes on behind it', async () => {
    const turns = new Turns();
    const stuck = await turns.take('a', 5_000);
    const started = Date.now();
    const second = await turns.take('a', 50);
    assert.ok(Date.now() - started >= 45, 'waited for the longest wait');
    let thirdIn = false;
    const third = turns.take('a', 5_000).then((end) => {
      thirdIn = true;
      return end;
    });
    second();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(thirdIn, false, 'the third still waits for the stuck turn before it');
    stuck();
    (await third)();
    assert.equal(thirdIn, true);
  });
});
