// Job ids are business keys shared by the CLI, the workflows and the activities (no Node built-ins here).

/** Experiment job ids are `<slice folder>/<site folder>`; the slice job id is the first part. */
export function sliceOf(experimentId: string): string {
  const cut = experimentId.indexOf('/');
  return cut < 0 ? experimentId : experimentId.slice(0, cut);
}

export const experimentWorkflowId = (experimentId: string) => `experiment/${experimentId}`;
export const updateWorkflowId = (updateId: string) => `update/${updateId}`;
/** A Schedule appends its run's time to the workflow id it is given, so every scheduled run has its own update id. */
export const updateIdOfWorkflow = (workflowId: string) => workflowId.replace(/^update\//, '');
export const scheduleWorkflowIdPrefix = (scheduleId: string) => updateWorkflowId(`schedule-${scheduleId}`);
export const dropWorkflowId = (dropId: string) => `drop/${dropId}`;
