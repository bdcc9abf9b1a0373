/**
 * Git prints blob ids or `a/`/`b/` paths in its diff headers depending on what was compared; the
 * store shows every diff with the same two header lines naming the stored file, then git's hunks.
 */
export function relabelDiff(gitOutput: string, relPath: string, isNew: boolean): string {
  const firstHunk = gitOutput.search(/^@@ /m);
  if (firstHunk < 0) return '';
  return `--- ${isNew ? '/dev/null' : `a/${relPath}`}\n+++ b/${relPath}\n${gitOutput.slice(firstHunk)}`;
}

/** The diff git would print for a file that did not exist before, built without running git. */
export function newFileDiff(relPath: string, content: string): string {
  if (content === '') return '';
  const lines = content.replace(/\n$/, '').split('\n');
  const range = lines.length === 1 ? '1' : `1,${lines.length}`;
  const noEol = content.endsWith('\n') ? '' : '\\ No newline at end of file\n';
  return `--- /dev/null\n+++ b/${relPath}\n@@ -0,0 +${range} @@\n${lines.map((line) => `+${line}\n`).join('')}${noEol}`;
}

/**
 * What a write of a file's first copy reports: changed, with its diff (every line added) built only
 * when asked for. A backup reports no diff for a host's first copy, and the diff of a 50 KB config
 * (a string per line) cost a first run more than 0.1 ms of CPU per host.
 */
export function firstCopyWritten(
  relPath: string,
  content: string,
  /** The content's blob id, when the writer hashed it. */
  blob?: string,
): { readonly changed: true; readonly diff: string; readonly blob: string | undefined } {
  let diff: string | undefined;
  return {
    changed: true,
    blob,
    get diff(): string {
      diff ??= newFileDiff(relPath, content);
      return diff;
    },
  };
}
