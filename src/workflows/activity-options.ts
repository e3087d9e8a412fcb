import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../errors/index.js';

/** One retry policy for every module job: transient faults retry with backoff, bad input fails at once. */
export const moduleJobOptions: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  // A cancelled workflow closes only after its jobs have rolled back and recorded `cancelled`.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  // Jobs heartbeat every 2 s. Cancellation reaches a job on a heartbeat, which the SDK throttles
  // to 0.8 × this timeout, and a dead worker's job moves to another worker after it: keep it short.
  heartbeatTimeout: '6 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
};

/** Planning and bookkeeping: short, and retried through database hiccups. */
export const bookkeepingOptions: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  // Every activity beats every 2 s (activities/heartbeat.ts): an attempt whose completion a
  // Temporal server outage lost is retried after this, not after the 10 minutes.
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    maximumAttempts: 20,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
};
