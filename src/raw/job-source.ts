/** Where a job's raw files are: always a folder inside one of the configured data roots. */
export interface JobSource {
  jobId: string;
  root: string;
  dir: string;
}
