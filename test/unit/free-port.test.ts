import { freeServicePort, freeServicePorts, SERVICE_PORTS } from '../../src/temporal/free-port';

describe('ports for the servers the project starts', () => {
  it('are distinct, free and below the ephemeral range, so no outgoing connection can take them', async () => {
    const ports = await freeServicePorts(12);
    expect(new Set(ports).size).toBe(12);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(SERVICE_PORTS.min);
      expect(port).toBeLessThanOrEqual(SERVICE_PORTS.max);
    }
    // Linux hands out ephemeral ports from 32768 up (ip_local_port_range).
    expect(SERVICE_PORTS.max).toBeLessThan(32_768);
  });

  it('never repeats a port already taken by the same server', async () => {
    const taken = new Set(await freeServicePorts(5));
    const before = new Set(taken);
    const port = await freeServicePort('127.0.0.1', taken);
    expect(before.has(port)).toBe(false);
    expect(taken.has(port)).toBe(true);
  });
});
