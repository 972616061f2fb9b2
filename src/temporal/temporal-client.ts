import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { RuntimeConfig } from '../config';
import { AesGcmPayloadCodec } from './payload-codec';

/**
 * Where a process finds Temporal and the keys its payloads are sealed with. `plaintext` is not a
 * setting of the configuration: only the benchmarks' baseline sets it, to measure what the codec costs.
 */
export type TemporalSettings = Pick<
  RuntimeConfig['temporal'],
  'address' | 'namespace' | 'payloadKey' | 'payloadKeyPrevious'
> & { plaintext?: boolean };

type PayloadSettings = Pick<TemporalSettings, 'payloadKey' | 'payloadKeyPrevious'>;

/** The payload codec for the configured keys, shared by the data converter and the gateway's codec endpoint. */
export function payloadCodecFor(temporal: PayloadSettings): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec({ current: temporal.payloadKey, previous: temporal.payloadKeyPrevious });
}

/**
 * The product's data converter: every payload (inputs, results, signals, queries, memos, heartbeats)
 * encrypted. Clients and workers must share it, so it is built here only.
 */
export function dataConverterFor(temporal: PayloadSettings & { plaintext?: boolean }): DataConverter {
  return temporal.plaintext ? {} : { payloadCodecs: [payloadCodecFor(temporal)] };
}

/** A client connected now; rejects when the frontend does not answer within `connectTimeoutMs`. */
export async function connectClient(temporal: TemporalSettings, connectTimeoutMs = 10_000): Promise<Client> {
  const connection = await Connection.connect({ address: temporal.address, connectTimeout: connectTimeoutMs });
  return new Client({ connection, namespace: temporal.namespace, dataConverter: dataConverterFor(temporal) });
}

/** A client that connects on first use and reconnects by itself (the gateway starts while Temporal is down). */
export function lazyClient(temporal: TemporalSettings): Client {
  const connection = Connection.lazy({ address: temporal.address });
  return new Client({ connection, namespace: temporal.namespace, dataConverter: dataConverterFor(temporal) });
}

/** The worker's connection; the worker takes the data converter from {@link dataConverterFor}. */
export function connectWorkerConnection(temporal: Pick<TemporalSettings, 'address'>): Promise<NativeConnection> {
  return NativeConnection.connect({ address: temporal.address });
}

/**
 * Runs `use` on a connection to the frontend at `address` and closes it afterwards: the servers' setup
 * and readiness probes, which call the workflow and operator services directly and need no data converter.
 */
export async function withAdminConnection<T>(
  address: string,
  use: (connection: Connection) => Promise<T>,
  connectTimeoutMs?: number,
): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: connectTimeoutMs });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** Whether a Temporal frontend answers at `address` (no client is kept). */
export async function temporalAnswers(address: string, connectTimeoutMs = 1_000): Promise<boolean> {
  return withAdminConnection(address, () => Promise.resolve(true), connectTimeoutMs).catch(() => false);
}
