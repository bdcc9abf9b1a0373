/** Reading an import source file, with the error every importer gives when it cannot. */
import { readFile } from 'node:fs/promises';
import { NetopsError } from '../../core/errors.js';

export async function readSource(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new NetopsError(
      'CONFIG_UNREADABLE',
      `${file}: cannot read the ${what}: ${(error as Error).message}`,
      {
        hint: `Check the path and that you may read it; netops imports a ${what} from a local file.`,
      },
    );
  }
}

/** Lines with their 1-based numbers, line ends of any kind removed. */
export function numberedLines(text: string): Array<{ readonly line: number; readonly text: string }> {
  return text.split(/\r?\n/).map((line, i) => ({ line: i + 1, text: line }));
}
