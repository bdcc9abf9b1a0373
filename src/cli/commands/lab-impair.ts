/**
 * `netops lab impair DEVICE`: delay, jitter, loss, duplication and reordering of a netns or container
 * lab device's link, at run time. Its flags and help; what it does is in actions/lab-impair.ts.
 */
import type { Command } from 'commander';
import type { LabImpairFlags } from '../actions/lab-impair.js';

export function register(lab: Command): void {
  lab
    .command('impair')
    .description(
      "impair a lab device's link: delay, jitter, loss, duplication, reordering (netns and container labs, root)",
    )
    .argument('<device>', 'the device, by name (`netops lab status` lists them)')
    .option('--dir <dir>', 'lab folder', 'lab')
    .option(
      '--direction <direction>',
      'from-device, to-device or both: the packets the flags apply to',
      'from-device',
    )
    .option('--delay <time>', 'added delay, e.g. 200ms or 1.5s')
    .option('--jitter <time>', "each packet's delay varies by up to this much (packets may overtake)")
    .option('--loss <percent>', 'packets lost at random, e.g. 10%')
    .option('--duplicate <percent>', 'packets sent twice')
    .option('--reorder <percent>', 'packets sent at once, ahead of the delayed ones (needs --delay)')
    .option('--clear', 'remove every impairment of the device, both directions')
    .addHelpText(
      'after',
      [
        '',
        'The flags set the chosen direction(s) to exactly what they say; the other direction keeps its',
        "impairment. Without a flag, the command shows the device's impairment.",
        '',
        'Examples:',
        '  netops lab impair r1 --delay 200ms --jitter 20ms',
        '  netops lab impair r1 --direction to-device --loss 10%',
        '  netops lab impair r1 --clear',
      ].join('\n'),
    )
    .action(async (device: string, flags: LabImpairFlags) =>
      (await import('../actions/lab-impair.js')).labImpairAction(device, flags),
    );
}
