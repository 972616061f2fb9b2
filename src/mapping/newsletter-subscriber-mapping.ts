import { ShopimindNewsletterSubscriberSchema, type ShopimindNewsletterSubscriber } from '../shopimind/schemas';
import type { SHOPKIT_NEWSLETTER_EVENTS, ShopkitClient, ShopkitWebhookEvent } from '../shopkit/schemas';
import { clientSourceId, customerIdOf, normaliseEmail } from './customer-identity';
import { langFromLocale } from './language';
import type { MappingConfig } from './mapping-context';
import { mapEach, reject, type MappingResult } from './mapping-result';
import { firstUsableName, splitName } from './person-name';
import { cleanText } from './text';
import { latestIso, toUtcIso } from './timestamps';

export type NewsletterContext = Pick<MappingConfig, 'defaultLang' | 'timezone'>;

/**
 * Initial import (docs/mapping-decisions.md#newsletter-subscribers, D25): Shopkit has no subscriber list, so every
 * non-deleted client with marketing consent is a subscriber. Clients without consent are not listed (they were never
 * subscribers).
 */
export function mapNewsletterSubscribers(
  clients: readonly ShopkitClient[],
  ctx: NewsletterContext,
): MappingResult<ShopimindNewsletterSubscriber> {
  return mapEach(
    clients.filter((client) => client.accepts_marketing && !client.is_deleted),
    {
      schema: ShopimindNewsletterSubscriberSchema,
      sourceId: clientSourceId,
      map: (client) => {
        const updatedAt =
          latestIso(toUtcIso(client.last_seen_at, ctx.timezone), toUtcIso(client.created_at, ctx.timezone)) ??
          reject('client has neither created_at nor last_seen_at');
        return subscriberRow(client.email, client.name, true, client, updatedAt, ctx);
      },
    },
  );
}

export type NewsletterEvent = Extract<ShopkitWebhookEvent, { event: (typeof SHOPKIT_NEWSLETTER_EVENTS)[number] }>;

/** A newsletter webhook with its receipt time (the envelope carries no event time). */
export interface ObservedNewsletterEvent {
  event: NewsletterEvent;
  observedAt: string;
}

export type NewsletterEventContext = NewsletterContext & {
  /** The client record by `customer_id`, for postal code and language (the event has only name and e-mail). */
  clients?: (customerId: string) => ShopkitClient | undefined;
};

/** `newsletter_subscribed` / `newsletter_unsubscribed` → subscriber upserts; ShopiMind has no delete for them. */
export function mapNewsletterEvents(
  events: readonly ObservedNewsletterEvent[],
  ctx: NewsletterEventContext,
): MappingResult<ShopimindNewsletterSubscriber> {
  return mapEach(events, {
    schema: ShopimindNewsletterSubscriberSchema,
    sourceId: ({ event }) => {
      const email = normaliseEmail(event.client.email);
      return `${event.event} ${email ? customerIdOf(email) : '(no e-mail)'}`;
    },
    map: ({ event, observedAt }) => {
      const email = normaliseEmail(event.client.email) ?? reject('newsletter e-mail is missing or invalid');
      const client = ctx.clients?.(customerIdOf(email));
      const updatedAt = toUtcIso(observedAt, ctx.timezone) ?? reject('observedAt is not a timestamp');
      return subscriberRow(
        email,
        firstUsableName(event.client.name, client?.name),
        event.event === 'newsletter_subscribed',
        client,
        updatedAt,
        ctx,
      );
    },
  });
}

function subscriberRow(
  rawEmail: string,
  name: string,
  subscribed: boolean,
  client: ShopkitClient | undefined,
  updatedAt: string,
  ctx: NewsletterContext,
): ShopimindNewsletterSubscriber {
  return {
    email: normaliseEmail(rawEmail) ?? reject('e-mail is missing or invalid'),
    is_subscribed: subscribed,
    ...splitName(name),
    // Required by ShopiMind; an empty code is better than a fabricated one (D25).
    postal_code: cleanText(client?.delivery?.zip_code) || cleanText(client?.billing?.zip_code),
    lang: langFromLocale(client?.locale, ctx.defaultLang),
    updated_at: updatedAt,
  };
}
