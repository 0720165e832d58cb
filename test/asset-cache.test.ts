import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assetCache } from '../src/render/asset-cache';

test('the asset cache loads a URL once, forgets a failed load, and lets the least recently used go past its limit', async () => {
  const loads: string[] = [];
  const cache = assetCache<string>(2);
  const load = (url: string, fail = false) =>
    cache(url, async () => {
      loads.push(url);
      if (fail) throw new Error(`${url} is down`);
      return `model of ${url}`;
    });
  assert.equal(await load('a'), 'model of a');
  assert.equal(await load('a'), 'model of a');
  await assert.rejects(load('b', true), /b is down/);
  assert.equal(await load('b'), 'model of b', 'tried again after the failure');
  await load('a');
  await load('c');
  await load('a');
  await load('b');
  assert.deepEqual(loads, ['a', 'b', 'b', 'c', 'b'], 'b, least recently used, went when c came; a stayed');
});
