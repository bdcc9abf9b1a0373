/**
 * `command`: runs show commands on a host over its CLI and records each output in the run record
 * (`data.outputs`), optionally also as files `DIR/HOST/COMMAND.txt` (written atomically).
 */
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-write.js';
import { NetopsError } from '../core/errors.js';
import { describeFinding, destructiveCommand } from '../platforms/destructive.js';
import { platformNamed } from '../platforms/registry.js';
import { withCliSession } from './cli-session.js';
import { keptOutput } from './kept-output.js';
import { destructiveCommandsOn } from './destructive-lines.js';
import { defineTask } from './task.js';

const params = z.strictObject({
  commands: z.array(z.string().trim().min(1)).min(1),
  /** Folder (relative to the job file) for one file per host and command; none: run record only. */
  dir: z.string().min(1).optional(),
  /** Time limit of one command, prompt to prompt, in milliseconds. */
  timeoutMs: z.int().min(100).max(3_600_000).default(60_000),
  /** Reach the device this way instead of the host's transport. */
  via: z.enum(['ssh', 'telnet', 'console']).optional(),
});

type Params = z.infer<typeof params>;

/** `show ip route vrf X | inc 10.` -> `show-ip-route-vrf-X-inc-10.txt`: safe on every file system. */
export function outputFileName(command: string): string {
  return `${
    command
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'output'
  }.txt`;
}

export const command = defineTask({
  name: 'command',
  summary: 'run show commands over the CLI and record their outputs (run record, optional files)',
  params,
  destructive: (p: Params, host) => destructiveCommandsOn(host, p.commands).map(describeFinding),
  plan: (host, p: Params) => {
    const destructive = new Map(destructiveCommandsOn(host, p.commands).map((f) => [f.index, f.effect]));
    return [
      ...p.commands.map((c, index) => {
        const effect = destructive.get(index);
        const mark = effect ? `  [destructive: ${effect}; its questions answered, only with --yes]` : '';
        return `run "${c}" on ${host.name} over ${p.via ?? host.transport}${mark}`;
      }),
      ...(p.dir ? [`write outputs to ${path.join(p.dir, host.name)}/`] : []),
    ];
  },
  async run(ctx, p) {
    const platform = platformNamed(ctx.host.platform, ctx.host.name);
    const ending = p.commands.findIndex((c) => destructiveCommand(platform, c)?.endsSession);
    if (ending >= 0 && ending < p.commands.length - 1) {
      throw new NetopsError(
        'CONFIG_INVALID',
        `"${p.commands[ending]}" ends the session on ${ctx.host.name}, so the ${p.commands.length - ending - 1} command(s) after it could not run`,
        { hint: 'Make it the last command of the step.', host: ctx.host.name },
      );
    }
    const outputs: Record<string, string> = {};
    await withCliSession(ctx, { via: p.via, commandMs: p.timeoutMs }, async (session) => {
      for (const [i, c] of p.commands.entries()) {
        ctx.progress?.(`command ${i + 1}/${p.commands.length} "${c}" (${i} done)`);
        // Destructive commands (allowed by --yes) get their platform's answers; any other question is refused.
        const rule = destructiveCommand(session.platform, c);
        if (rule?.endsSession) {
          await session.reload({ signal: ctx.signal });
          outputs[c] = 'reload confirmed; the device dropped the session';
        } else
          outputs[c] = (
            rule ? await session.dialog({ command: c, steps: rule.steps }) : await session.send(c)
          ).text;
      }
    });
    // Kept as the store keeps a config: secrets masked, in the record and in the files.
    for (const [c, text] of Object.entries(outputs)) outputs[c] = keptOutput(ctx, text);
    if (p.dir) {
      const folder = path.resolve(ctx.job.dir, p.dir, ctx.host.name);
      for (const [c, text] of Object.entries(outputs)) {
        await writeFileAtomic(path.join(folder, outputFileName(c)), `${text}\n`, {
          mode: 0o600,
          dirMode: 0o700,
        });
      }
    }
    const lines = Object.values(outputs).reduce((n, t) => n + t.split('\n').length, 0);
    return {
      status: 'ok',
      summary: `${p.commands.length} command${p.commands.length === 1 ? '' : 's'}, ${lines} lines of output`,
      data: { outputs },
    };
  },
});
