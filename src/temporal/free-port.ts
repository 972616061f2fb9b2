import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on loopback. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return listenOnce(host, 0);
}

/**
 * Distinct free ports for the servers this project starts (Temporal, PostgreSQL, the Web UI), below the
 * OS's ephemeral range (32768–60999 on Linux). A port the OS hands out (`freePort`) can be taken by any
 * outgoing connection between the moment it is chosen and the server's bind, or while a restarted server
 * is down; and the Temporal server stores membership ports as a PostgreSQL smallint (≤ 32767).
 */
export async function freeServicePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const taken = new Set<number>();
  while (taken.size < count) await freeServicePort(host, taken);
  return [...taken];
}

/** One such port, not among `taken` (which receives it): distinct ports for one server's listeners. */
export async function freeServicePort(host = '127.0.0.1', taken = new Set<number>()): Promise<number> {
  for (;;) {
    const port = await freePortInRange(SERVICE_PORTS.min, SERVICE_PORTS.max, host);
    if (taken.has(port)) continue;
    taken.add(port);
    return port;
  }
}

export const SERVICE_PORTS = { min: 20_000, max: 32_767 };

/** A free TCP port in [min, max], tried at random. */
async function freePortInRange(min: number, max: number, host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    const free = await listenOnce(host, port).then(
      () => true,
      () => false,
    );
    if (free) return port;
  }
  throw new Error(`no free port in ${min}-${max} on ${host}`);
}

function listenOnce(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
