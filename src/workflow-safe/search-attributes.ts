import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes: the Web UI and `mpctl reset --failed` filter workflows on these. */
export const SearchAttributes = {
  experiment: defineSearchAttributeKey('MpctlExperiment', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('MpctlStatus', SearchAttributeType.KEYWORD),
  failedModules: defineSearchAttributeKey('MpctlFailedModules', SearchAttributeType.KEYWORD_LIST),
  updateId: defineSearchAttributeKey('MpctlUpdateId', SearchAttributeType.KEYWORD),
};

export const searchAttributeKeys = Object.values(SearchAttributes);
