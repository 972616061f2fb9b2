import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { CUSTOM_SEARCH_ATTRIBUTES } from './search-attributes';
import { withAdminConnection } from './temporal-client';

const INDEXED_VALUE_TYPES = { Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD } as const;
/** How long closed workflows stay visible; docker-compose's auto-setup is given the same. */
export const NAMESPACE_RETENTION = '72h';

/**
 * Registers the namespace and this project's search attributes on a server that may already have
 * them (a restart, a second setup): whatever exists is left as it is.
 */
export async function ensureNamespace(address: string, namespace: string): Promise<void> {
  await withAdminConnection(address, async (connection) => {
    const { namespaces } = await connection.workflowService.listNamespaces({ pageSize: 1000 });
    if (!namespaces?.some((entry) => entry.namespaceInfo?.name === namespace)) {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(NAMESPACE_RETENTION),
      });
    }
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.entries(CUSTOM_SEARCH_ATTRIBUTES).filter(([name]) => !customAttributes?.[name]);
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED_VALUE_TYPES[type]])),
    });
  });
}
