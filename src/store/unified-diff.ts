/**
 * Git prints blob ids or `a/`/`b/` paths in its diff headers depending on what was compared; the
 * store shows every diff with the same two header lines naming the stored file, then git's hunks.
 */
export function relabelDiff(gitOutput: string, relPath: string, isNew: boolean): string {
  const firstHunk = gitOutput.search(/^@@ /m);
  if (firstHunk < 0) return '';
  return `--- ${isNew ? '/dev/null' : `a/${relPath}`}\n+++ b/${relPath}\n${gitOutput.slice(firstHunk)}`;
}
