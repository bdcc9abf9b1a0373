/** The flags of `netops run`, shared by its definition, the plan/validate step and the run itself. */
export interface RunFlags {
  inventory?: string[];
  limit?: string[];
  concurrency?: number;
  plan?: boolean;
  yes?: boolean;
  json?: boolean;
  quiet?: boolean;
  records?: string;
  acceptShrink?: string[];
  trustNewHosts?: boolean;
}
