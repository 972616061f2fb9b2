import type { Kysely } from 'kysely';
import type { RegistryDatabase } from './registry-schema';

/** What a claim on a lifecycle delivery found (see {@link LifecycleDeliveries.claim}). */
export type DeliveryClaim = 'claimed' | 'processed' | 'busy';

/**
 * ShopiMind's lifecycle deliveries, by signature, in the registry's database: claimed before they are
 * processed, so two identical deliveries arriving together (on one gateway or two) are processed once,
 * and a verbatim replay of a processed one is answered without processing it again.
 */
export class LifecycleDeliveries {
  constructor(
    private readonly db: Kysely<RegistryDatabase>,
    private readonly now: () => Date,
  ) {}

  /**
   * Claims a delivery with a unique insert: `claimed` when the caller must process it, `processed` when it
   * was already, `busy` while another request holds a claim younger than `leaseMs`. An older claim is taken
   * over: its holder died while processing.
   */
  async claim(signature: string, installationId: string, event: string, leaseMs: number): Promise<DeliveryClaim> {
    const now = this.now();
    const at = now.toISOString();
    const inserted = await this.db
      .insertInto('lifecycle_deliveries')
      .values({ signature, installation_id: installationId, event, state: 'claimed', processed_at: at })
      .onConflict((oc) => oc.column('signature').doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return 'claimed';
    const held = await this.db
      .selectFrom('lifecycle_deliveries')
      .select(['state', 'processed_at'])
      .where('signature', '=', signature)
      .executeTakeFirst();
    // Released in between: the caller asks again.
    if (!held) return 'busy';
    if (held.state === 'processed') return 'processed';
    if (Date.parse(held.processed_at) > now.getTime() - leaseMs) return 'busy';
    const taken = await this.db
      .updateTable('lifecycle_deliveries')
      .set({ processed_at: at })
      .where('signature', '=', signature)
      .where('state', '=', 'claimed')
      .where('processed_at', '=', held.processed_at)
      .executeTakeFirst();
    return taken.numUpdatedRows > 0n ? 'claimed' : 'busy';
  }

  /**
   * Marks a claimed delivery processed, and forgets those recorded more than `retainMs` ago: their signatures
   * are past the timestamp tolerance, so a replay of them is refused before it gets here.
   */
  async complete(signature: string, retainMs: number): Promise<void> {
    const now = this.now();
    await this.db
      .updateTable('lifecycle_deliveries')
      .set({ state: 'processed', processed_at: now.toISOString() })
      .where('signature', '=', signature)
      .execute();
    await this.db
      .deleteFrom('lifecycle_deliveries')
      .where('processed_at', '<', new Date(now.getTime() - retainMs).toISOString())
      .execute();
  }

  /** Gives a claim up (processing failed or was refused), so ShopiMind's retry of the delivery is processed. */
  async release(signature: string): Promise<void> {
    await this.db
      .deleteFrom('lifecycle_deliveries')
      .where('signature', '=', signature)
      .where('state', '=', 'claimed')
      .execute();
  }
}
