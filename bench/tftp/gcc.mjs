// The bench's C (the C floor, the batch socket addon) is compiled on the spot with gcc, so that no
// binary is kept in the repository; without gcc the rows measured with it are left out.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const GCC = '/usr/bin/gcc';

/** Compiles with `gcc ...args -o dir/name`: the output's path, or undefined without gcc. */
export async function compiled(dir, name, args) {
  if (!existsSync(GCC)) return undefined;
  const out = join(dir, name);
  await promisify(execFile)(GCC, [...args, '-o', out]);
  return out;
}

/** The C floor (c-floor.c) compiled into `dir`: its path, or undefined without gcc. */
export const compileCFloor = (dir) =>
  compiled(dir, 'c-floor', ['-O2', fileURLToPath(new URL('./c-floor.c', import.meta.url))]);
