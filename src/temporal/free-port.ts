import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on loopback. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return listenOnce(host, 0);
}

/**
 * A free TCP port in [min, max], tried at random; for ports that must fit a range the OS's ephemeral
 * ports do not (the Temporal server stores membership ports as a PostgreSQL smallint, ≤ 32767).
 */
export async function freePortInRange(min: number, max: number, host = '127.0.0.1'): Promise<number> {
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
