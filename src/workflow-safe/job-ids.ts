// Job ids are business keys shared by the CLI, the workflows and the activities (no Node built-ins here).

/** Experiment job ids are `<slice folder>/<site folder>`; the slice job id is the first part. */
export function sliceOf(experimentId: string): string {
  const cut = experimentId.indexOf('/');
  return cut < 0 ? experimentId : experimentId.slice(0, cut);
}

export const experimentWorkflowId = (experimentId: string) => `experiment/${experimentId}`;
export const updateWorkflowId = (updateId: string) => `update/${updateId}`;
export const dropWorkflowId = (dropId: string) => `drop/${dropId}`;
