import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/** Whether this process could listen on the port (on every interface, as the design subgraph does). */
function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** The socket inodes listening on the port, from the kernel's tables (Linux). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN.
      if (fields.length > 9 && fields[3] === '0A' && Number.parseInt(fields[1]!.split(':')[1]!, 16) === port) inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** "pid 123 (python3 -m http.server 4000)" for the process listening on the port, where it can be found. */
export function portHolder(port: number): string | null {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return null;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        return `pid ${pid} (${command.slice(0, 120)})`;
      }
    }
  }
  return null;
}

/**
 * Refuses to start a stack on a taken port, naming the port, its variable and what holds it:
 * started anyway, a foreign server on the gateway's port would answer in the stack's place.
 */
export async function assertPortsFree(ports: { name: string; variable: string; port: number }[]): Promise<void> {
  const taken: string[] = [];
  for (const { name, variable, port } of ports) {
    if (await free(port)) continue;
    taken.push(`port ${port} (${name}, ${variable}) is taken by ${portHolder(port) ?? 'another process'}`);
  }
  if (taken.length) throw new Error(`${taken.join('; ')}: stop it or choose another port with the variable`);
}
