import { defineSignal } from '@temporalio/workflow';
import type { SyncEvent } from './sync';

/**
 * Several Shopkit events of one store in one signal, oldest first: the gateway coalesces what arrives
 * while the store's previous signal is in flight. The workflow handles it exactly as that many
 * `shopkitEvent` signals in the same order, which stays the signal of a lone event (and of every
 * history recorded before batches existed).
 */
export const syncEventsSignal = defineSignal<[SyncEvent[]]>('shopkitEvents');
