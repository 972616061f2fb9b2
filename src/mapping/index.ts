export {
  mapCarriers,
  mapShipmentMethodCarriers,
  carrierIdOf,
  SEED_CARRIERS,
  type CarrierContext,
} from './carrier-mapping';
export { catalogEntryFromRecord, catalogIndexRecordOf, type CatalogIndexRecord } from './catalog-index-record';
export { mapCategories, flattenCategories, type CategoryContext } from './category-mapping';
export {
  mapCustomerGroups,
  customerGroupOf,
  CUSTOMER_GROUPS,
  type CustomerGroupContext,
} from './customer-group-mapping';
export {
  mapClientAddresses,
  mapOrderAddresses,
  orderAddressIds,
  addressIdOf,
  supersededAddresses,
  type CustomerAddressContext,
} from './customer-address-mapping';
export { customerIdOf, normaliseEmail } from './customer-identity';
export { customerLookupOf, type CustomerLookup, type KnownCustomer } from './customer-lookup';
export {
  mapCustomers,
  mapOrderCustomers,
  deletedCustomerIds,
  type CustomerContext,
  type OrderCustomerContext,
} from './customer-mapping';
export {
  mapCustomerProfiles,
  CUSTOMER_PROFILE_DEFINITION,
  CustomerProfileRecordSchema,
  type CustomerProfileRecord,
  type CustomerProfileContext,
} from './customer-profile-custom-data';
export {
  mapCartAbandonedTriggers,
  mapOrderPaymentFailedTriggers,
  CART_ABANDONED_EVENT,
  ORDER_PAYMENT_FAILED_EVENT,
  type EventTrigger,
  type EventTriggerContext,
} from './event-triggers';
export { mapManufacturers, type ManufacturerContext } from './manufacturer-mapping';
export {
  DEFAULT_MAPPING_CONFIG,
  storeSnapshotOf,
  type ImageSize,
  type MappingConfig,
  type MappingContext,
  type StoreSnapshot,
} from './mapping-context';
export type { MappingResult, Rejection } from './mapping-result';
export {
  mapNewsletterSubscribers,
  mapNewsletterEvents,
  type NewsletterContext,
  type NewsletterEvent,
  type NewsletterEventContext,
  type ObservedNewsletterEvent,
} from './newsletter-subscriber-mapping';
export {
  mapOrders,
  catalogEntryOf,
  catalogLookupOf,
  type CatalogLookup,
  type CatalogProduct,
  type OrderContext,
} from './order-mapping';
export { mapOrderStatuses, isOrderConfirmed, ORDER_STATUSES, type OrderStatusContext } from './order-status-mapping';
export { orderVersionOf } from './order-version';
export { mapProductImages, type ProductImageContext } from './product-image-mapping';
export { mapProducts, type ProductContext } from './product-mapping';
export { mapProductVariations, type ProductVariationContext } from './product-variation-mapping';
export { mapVouchers, collectCouponCodes, type VoucherContext } from './voucher-mapping';
