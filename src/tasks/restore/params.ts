/** The `restore` step's params. */
import { z } from 'zod';

export const restoreParams = z.strictObject({
  /** The revision: a run id, `last~N`, a date (the store as it was then) or a commit (store/revisions.ts). */
  to: z.string().min(1),
  /** Install it; without, fetch the running-config and show the diff only. */
  apply: z.boolean().default(false),
});

export type RestoreParams = z.infer<typeof restoreParams>;
