import type { ChildProcess } from 'node:child_process';
import type { Server, Socket } from 'node:net';

/**
 * Loaded into every test file's process (`--require`). The runner ends a file once its tests are done
 * (`--test-force-exit`) instead of waiting on whatever it left open; this names what would have kept
 * it alive for ever (a WebSocket, a child process, a listening server), so a leak is seen and fixed
 * rather than hidden. Idle keep-alive HTTP sockets are left out: they close by themselves.
 */
if (process.env.NODE_TEST_CONTEXT?.startsWith('child')) {
  const file = process.argv[1] ?? 'a test file';
  process.on('exit', () => {
    const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
    const leaks = handles.flatMap((handle) => {
      const symbols = Object.getOwnPropertySymbols(handle).map((symbol) => symbol.description);
      // A WebSocket whose closing handshake is under way has ended its side: it closes by itself.
      if (symbols.includes('websocket') && !(handle as Socket).writableEnded) return ['a WebSocket'];
      if ('pid' in handle && 'spawnfile' in handle) {
        const child = handle as ChildProcess;
        // Reaped children linger in the list until the next turn of the loop, which never comes.
        return child.exitCode === null && child.signalCode === null ? [`child process ${child.spawnfile}`] : [];
      }
      if ('listening' in handle && (handle as Server).listening) return ['a listening server'];
      return [];
    });
    if (leaks.length) process.stderr.write(`${file} left open after its tests: ${leaks.join(', ')} (ended by the runner)\n`);
  });
}
