/**
 * The `startup-config` step's params: where the new config comes from (a file or a template filled
 * from host data), how IOS installs it, and the answers and time limits of the Nexus boot.
 */
import { z } from 'zod';
import { secretRefSchema } from '../../config/inventory-schema.js';

const seconds = (max: number) => z.int().min(1).max(max);

export const bootAnswerSchema = z.strictObject({
  /** A regular expression matched against the last line the console shows. */
  question: z.string().min(1),
  /** Typed after the question; a secret reference for passwords. */
  answer: z.union([z.string(), secretRefSchema]),
});

export const startupConfigParams = z
  .strictObject({
    /** A finished config file, relative to the job file. */
    file: z.string().min(1).optional(),
    /** A LiquidJS template, relative to the job file, filled with `host`, `data`, `vars` and `secrets`. */
    template: z.string().min(1).optional(),
    /** Extra template values shared by every host of the step. */
    vars: z.record(z.string(), z.unknown()).default({}),
    /** Template secrets (`{{ secrets.psk }}`): resolved only when the step runs; plans show a placeholder. */
    secrets: z.record(z.string().regex(/^\w+$/), secretRefSchema).default({}),
    /** IOS: `copy` to startup-config, or `replace` the running config (`configure replace ... force`). */
    mode: z.enum(['copy', 'replace']).default('copy'),
    /** IOS: reload after installing, so the new startup-config becomes the running one. */
    reload: z.boolean().default(false),
    /** Time limits in seconds. */
    timeouts: z
      .strictObject({
        /** One copy (TFTP transfer, merge into running-config, save). */
        copy: seconds(3600).default(600),
        /** From the reload confirmation to the login prompt on the console. */
        boot: seconds(3600).default(900),
        /** A question nobody knows stays unanswered this long before the workflow stops. */
        unknownQuestion: seconds(600).default(20),
      })
      .prefault({}),
    /** NX-OS first boot: the admin account the setup dialog creates and any extra answers. */
    boot: z
      .strictObject({
        /** The password given to `admin` in the setup dialog. @default the host's login password */
        adminPassword: secretRefSchema.optional(),
        /** Tried before the platform's known questions (POAP, admin password, basic configuration). */
        answers: z.array(bootAnswerSchema).default([]),
      })
      .prefault({}),
    /** Folder (relative to the job file) for each run's console session log and pre-change running-config. */
    logs: z.string().min(1).default('startup-config-logs'),
  })
  .refine((p) => (p.file === undefined) !== (p.template === undefined), {
    message: 'give exactly one of `file` or `template`',
  });

export type StartupConfigParams = z.output<typeof startupConfigParams>;
export type BootAnswer = z.output<typeof bootAnswerSchema>;
