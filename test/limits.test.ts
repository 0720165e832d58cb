import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { DESIGN_URL, ROOT_URL } from './helpers';

describe('limits on what one client may send', () => {
  test('a graphql-ws message over 1 MiB closes the socket (1009) instead of being read into memory; the service keeps answering', async () => {
    const socket = new WebSocket(DESIGN_URL.replace(/^http/, 'ws'), 'graphql-transport-ws');
    try {
      await new Promise<void>((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      await new Promise<void>((resolve) => socket.once('message', () => resolve()));
      const padding = ' '.repeat(2 * 1024 * 1024);
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription {${padding} __typename }` } }));
      assert.equal(await closed, 1009);
      const health = await fetch(`${ROOT_URL}/health`);
      assert.equal(health.status, 200);
    } finally {
      socket.terminate();
    }
  });
});
