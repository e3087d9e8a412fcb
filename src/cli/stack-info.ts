import { redactUrl } from '../config/config.js';
import type { StackState } from '../config/stack-state.js';

export interface StackInfo {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  uiUrl: string;
  taskQueue: string;
}

/** What commands print about a stack; the database password is masked unless asked for. */
export function stackInfo(state: StackState, reveal = false): StackInfo {
  return {
    databaseUrl: reveal ? state.databaseUrl : redactUrl(state.databaseUrl)!,
    temporalAddress: state.temporalAddress,
    namespace: state.namespace,
    // The embedded namespace's workflow list: the Web UI root opens the empty `default` namespace.
    uiUrl: `${state.uiUrl}/namespaces/${encodeURIComponent(state.namespace)}/workflows`,
    taskQueue: state.taskQueue,
  };
}
