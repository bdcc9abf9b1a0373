// Where a bench's files go, said with its figures: a first run creates two files per host, and the
// file system's own cost of a creation differs by kind. On ext4 without a journal, a creation passes
// over every inode of its block group deleted in the last minutes (fs/ext4/ialloc.c, recently_deleted):
// right after thousands of files were removed nearby (an earlier round, a test suite in /tmp) each
// new file cost 0.3 ms here against 0.01-0.02 in a fresh top-level folder (session 13, lane F).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** `DIR: ext4 on /dev/vda, without a journal`, or as much of it as the machine tells. */
export function fileSystemNote(dir) {
  let type = 'unknown';
  let source = '';
  try {
    [type = 'unknown', source = ''] = execFileSync('findmnt', ['-no', 'FSTYPE,SOURCE', '-T', dir], {
      encoding: 'utf8',
    })
      .trim()
      .split(/\s+/);
  } catch {
    // no findmnt: the type stays unknown
  }
  const where = `the bench's folder ${dir} (os.tmpdir(): set TMPDIR to move it): ${type}${source ? ` on ${source}` : ''}`;
  if (type !== 'ext4' || !source.startsWith('/dev/')) return where;
  // jbd2 lists each journaled device as NAME-MAJOR... : none for this one means no journal.
  const device = path.basename(source);
  const journaled =
    existsSync('/proc/fs/jbd2') &&
    readdirSync('/proc/fs/jbd2').some((entry) => entry.startsWith(`${device}-`));
  return journaled
    ? `${where}, with a journal`
    : `${where}, without a journal: each file a first run creates passes over the inodes deleted nearby in the last minutes`;
}
