/**
 * `config`: enters configuration mode, types the lines in order, stops at the first line the device
 * refuses (COMMAND_REJECTED with the device's message; earlier lines stay applied), and saves the
 * configuration when asked.
 */
import { z } from 'zod';
import { describeFinding } from '../platforms/destructive.js';
import { platformNamed } from '../platforms/registry.js';
import { withCliSession } from './cli-session.js';
import { destructiveConfigOn } from './destructive-lines.js';
import { defineTask } from './task.js';

const params = z.strictObject({
  lines: z.array(z.string().min(1)).min(1),
  /** Save running-config to startup-config after all lines applied. */
  save: z.boolean().default(false),
  /** Time limit of one line, prompt to prompt, in milliseconds. */
  timeoutMs: z.int().min(100).max(600_000).default(30_000),
  via: z.enum(['ssh', 'telnet', 'console']).optional(),
});

type Params = z.infer<typeof params>;

export const config = defineTask({
  name: 'config',
  summary: 'apply configuration lines over the CLI, stopping at the first refused one; optionally save',
  params,
  /** The interface netops reaches the host through: `no ip address` or `shutdown` on it needs --yes. */
  hostData: { managementInterface: z.string().trim().min(1) },
  destructive: (p: Params, host) =>
    destructiveConfigOn(host, p.lines)
      .filter((f) => f.confirm)
      .map(describeFinding),
  plan: (host, p: Params) => {
    const save = p.save
      ? `then save with "${platformNamed(host.platform, host.name).save.command}"`
      : 'not saved';
    const findings = new Map(destructiveConfigOn(host, p.lines).map((f) => [f.index, f]));
    return [
      `configure ${host.name} over ${p.via ?? host.transport} (${p.lines.length} line${p.lines.length === 1 ? '' : 's'}, ${save}):`,
      ...p.lines.map((line, index) => {
        const found = findings.get(index);
        if (!found) return `  ${line}`;
        return `  ${line}  [${found.confirm ? 'destructive' : 'check'}: ${found.effect}]`;
      }),
    ];
  },
  async run(ctx, p) {
    await withCliSession(ctx, { via: p.via, commandMs: p.timeoutMs }, async (session) => {
      await session.sendConfig(p.lines);
      if (p.save) await session.dialog(session.platform.save);
    });
    return {
      status: 'changed',
      summary: `applied ${p.lines.length} line${p.lines.length === 1 ? '' : 's'}${p.save ? ', saved' : ''}`,
      data: { applied: p.lines.length, saved: p.save },
    };
  },
});
