import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time.js';
import { searchAttributeKeys } from '../workflow-safe/search-attributes.js';

// @temporalio/proto is CommonJS: named ESM imports of it do not resolve.
const { temporal } = proto;
const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const indexedType: Record<string, number> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/** Default retention: long enough to reset last week's failures with margin. */
export const DEFAULT_RETENTION_DAYS = 30;

/** Registers mpctl's search attributes and sets retention; safe to run again. */
export async function setupNamespace(
  connection: Pick<Connection, 'operatorService' | 'workflowService'>,
  namespace: string,
  retentionDays = DEFAULT_RETENTION_DAYS,
): Promise<{ added: string[]; retentionDays: number }> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([
    ...Object.keys(existing.customAttributes ?? {}),
    ...Object.keys(existing.systemAttributes ?? {}),
  ]);
  const missing = searchAttributeKeys.filter((key) => !known.has(key.name));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedType[key.type]])),
    });
  }
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(`${retentionDays} days`) },
  });
  return { added: missing.map((key) => key.name), retentionDays };
}
