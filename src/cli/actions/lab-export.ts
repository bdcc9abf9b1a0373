/** What `netops lab export --containerlab FILE` does: the container lab in `--dir` as a containerlab topology. */
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { writeContainerlabTopology } from '../../lab/container/containerlab-export.js';
import { containerlabSource } from '../../lab/container/containerlab-source.js';
import { readContainerState } from '../../lab/container/state.js';

export async function labExportAction(flags: {
  readonly containerlab: string;
  readonly dir: string;
}): Promise<void> {
  const state = await readContainerState(path.resolve(flags.dir));
  if (!state) {
    throw new NetopsError('CONFIG_INVALID', `${flags.dir}: no container lab here (no container-lab.json)`, {
      hint: 'Bring one up first: netops lab up --mode container --spec FILE --dir DIR, then export that DIR.',
    });
  }
  const source = containerlabSource(state);
  await writeContainerlabTopology(flags.containerlab, source);
  process.stdout.write(
    `wrote ${flags.containerlab}: ${source.containers.length} linux nodes, ${source.links?.length ?? 0} links, management network ${source.network.name}\n`,
  );
}
