/**
 * "Changes since": every commit of the store that touched facts/ after a date, with what changed
 * for each host, computed by comparing the file before and after the commit (so it does not depend
 * on how commit messages are worded). The store's history is read through StoreHistory.
 */
import { NetopsError, isNetopsError } from '../core/errors.js';
import { parseFacts, type DeviceFacts } from '../facts/device-facts.js';
import { diffFacts } from '../facts/fact-diff.js';
import { StoreHistory, type FileVersions } from '../store/store-history.js';

export interface FactChange {
  /** Commit author date, ISO 8601. */
  readonly date: string;
  readonly commit: string;
  readonly host: string;
  readonly changes: readonly string[];
}

interface TouchedFacts {
  readonly commit: string;
  readonly date: string;
  readonly path: string;
}

/** Changes per host and commit since `since`, newest first. */
export async function factChangesSince(storeDir: string, since: Date): Promise<FactChange[]> {
  const { touched, versions } = await readFactsHistory(storeDir, since);
  const changes: FactChange[] = [];
  touched.forEach((t, i) => {
    const after = facts(versions[i]?.after);
    const before = facts(versions[i]?.before);
    const host = after?.host ?? before?.host ?? t.path.slice('facts/'.length, -'.json'.length);
    const list = after ? diffFacts(before, after) : ['facts removed'];
    if (list.length > 0) changes.push({ date: t.date, commit: t.commit, host, changes: list });
  });
  return changes;
}

/** The facts files each commit since `since` touched, and their text before and after it. */
async function readFactsHistory(
  storeDir: string,
  since: Date,
): Promise<{ touched: TouchedFacts[]; versions: FileVersions[] }> {
  try {
    const store = await StoreHistory.open(storeDir);
    const touched = (await store.history({ folder: 'facts', since })).flatMap((entry) =>
      entry.files
        .filter((file) => /^facts\/[^/]+\.json$/.test(file))
        .map((file) => ({ commit: entry.commit, date: entry.date, path: file })),
    );
    return { touched, versions: await store.fileVersions(touched) };
  } catch (error) {
    if (!isNetopsError(error)) throw error;
    // A damaged store's error says what is missing and how to bring it back: its hint stays.
    const wrongFolder = error.details?.['notRepository'] === true;
    throw new NetopsError('STORE_FAILED', `cannot read the git history of ${storeDir}: ${error.message}`, {
      cause: error,
      hint: wrongFolder
        ? 'Point --store at the git repository of the store, or leave out --changes-since.'
        : error.hint,
    });
  }
}

function facts(text: string | undefined): DeviceFacts | undefined {
  if (text === undefined) return undefined;
  try {
    return parseFacts(text);
  } catch {
    return undefined;
  }
}
