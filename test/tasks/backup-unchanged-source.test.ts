/**
 * A backup that receives the very text its host's stored copy was made from says `unchanged`
 * without sanitizing it (the host's explanation keeps a keyed MAC of that text and of all that
 * shaped the copy); anything else that could change the stored copy takes the full path: another
 * rule, another key, a copy edited in the store, another device output, an explanation of an
 * older format, a text the device's size figures now call cut. Each backup here is a run of its
 * own against a real git store, as `netops run` does it: the store opened, the host saved, the
 * store committed and closed.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/config/model.js';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { nxosRules } from '../../src/platforms/nxos/config-rules.js';
import { KEY_FILE, keyedPlaceholder, placeholderKey } from '../../src/store/placeholder-key.js';
import type { ConfigRules } from '../../src/store/rules.js';
import { storeSettingsSchema, type StoreSettingsInput } from '../../src/store/settings.js';
import { saveConfig, type Saved } from '../../src/tasks/backup/save.js';
import type { Closable, RunSummary, TaskContext } from '../../src/tasks/task.js';
import { useStateDir, useTempDir } from '../helpers/fixture.js';

const ios = readFileSync(new URL('../store/fixtures/ios-running-config.txt', import.meta.url), 'utf8');
const nxos = readFileSync(new URL('../store/fixtures/nxos-running-config.txt', import.meta.url), 'utf8');

const root = useTempDir('netops-unchanged-source-');
const state = useStateDir();
let stores = 0;

const summary: RunSummary = {
  runId: 'test-run',
  job: 'nightly',
  startedAt: new Date(0).toISOString(),
  counts: { ok: 1, changed: 0, failed: 0, skipped: 0 },
  changedHosts: [],
  failedHosts: [],
  aborted: false,
};

function host(name: string, platform: 'ios' | 'nxos'): Host {
  return {
    name,
    address: '192.0.2.1',
    port: 22,
    family: undefined,
    platform,
    transport: 'ssh',
    console: undefined,
    snmp: undefined,
    credentials: undefined,
    ssh: undefined,
    groups: [],
    data: {},
  } as unknown as Host;
}

interface Backup {
  readonly saved?: Saved;
  readonly error?: { readonly code: string };
  /** Whether the sanitizer ran: it asks the store's placeholder function for each secret it masks. */
  readonly sanitized: boolean;
  readonly warnings: readonly string[];
}

/** A fresh store folder of the test's own, with its job's settings. */
function newStore(settings: Omit<StoreSettingsInput, 'dir'> = {}) {
  stores += 1;
  const dir = `store-${stores}`;
  let current = storeSettingsSchema.parse({ dir, ...settings });
  const folder = path.join(root, dir);
  return {
    folder,
    file: (name: string) => path.join(folder, 'configs', `${name}.cfg`),
    git: (...args: string[]) => execFileSync('git', ['-C', folder, ...args], { encoding: 'utf8' }),
    explanation: (name: string) => path.join(stateFolder(folder), 'explain', `${name}.json`),
    set(more: Omit<StoreSettingsInput, 'dir'>) {
      current = storeSettingsSchema.parse({ dir, ...settings, ...more });
    },
    /** One run that backs up `raw` for the host. */
    async backup(
      name: string,
      raw: string,
      options: { platform?: 'ios' | 'nxos'; tsize?: number; rules?: ConfigRules } = {},
    ) {
      const platform = options.platform ?? 'ios';
      return run(
        host(name, platform),
        options.rules ?? (platform === 'ios' ? iosRules : nxosRules),
        raw,
        current,
        options.tsize,
      );
    },
  };
}

/** The store's state folder (there is one per store under the test's state folder). */
function stateFolder(store: string): string {
  for (const id of readdirSync(path.join(state, 'stores'))) {
    const named = JSON.parse(readFileSync(path.join(state, 'stores', id, 'store.json'), 'utf8')) as {
      store: string;
    };
    if (named.store === store) return path.join(state, 'stores', id);
  }
  throw new Error(`no state folder for ${store}`);
}

async function run(
  target: Host,
  rules: ConfigRules,
  raw: string,
  settings: ReturnType<typeof storeSettingsSchema.parse>,
  tsize: number | undefined,
): Promise<Backup> {
  const resources = new Map<string, Promise<Closable>>();
  const warnings: string[] = [];
  let asked = 0;
  const counted = async () => {
    const placeholder = keyedPlaceholder(await placeholderKey(path.join(root, settings.dir)));
    return {
      placeholder: (secret: string) => {
        asked += 1;
        return placeholder(secret);
      },
      close: async () => undefined,
    };
  };
  const ctx: TaskContext = {
    host: target,
    signal: AbortSignal.timeout(60_000),
    job: { name: 'nightly', dir: root, settings: { store: settings } },
    secret: async () => '',
    resource: <T extends Closable>(key: string, open: () => Promise<T>): Promise<T> => {
      let opened = resources.get(key);
      if (!opened) {
        opened = key.startsWith('placeholder-key:') ? counted() : open();
        resources.set(key, opened);
      }
      return opened as Promise<T>;
    },
    log: () => undefined,
    warn: (message) => warnings.push(message),
  };
  try {
    const evidence = tsize === undefined ? {} : { evidence: { tsize } };
    const saved = await saveConfig(ctx, raw, rules, `${target.name}: config changed`, evidence);
    return { saved, sanitized: asked > 0, warnings };
  } catch (error) {
    return { error: error as { code: string }, sanitized: asked > 0, warnings };
  } finally {
    for (const resource of resources.values()) await (await resource).close(summary);
  }
}

/** Inode and modification time: a file replaced or written again changes one of them. */
const identity = (file: string) => {
  const info = statSync(file, { bigint: true });
  return `${info.ino}:${info.mtimeNs}`;
};

const withLine = (raw: string, line: string) => raw.replace('\nend', `\n${line}\nend`);

describe('a backup that receives the text its stored copy was made from', () => {
  it('is unchanged without sanitizing, with the full path’s result, and stores nothing', async () => {
    const store = newStore();
    const first = await store.backup('r1', ios);
    expect(first).toMatchObject({ sanitized: true, saved: { created: true, changed: true } });
    const head = store.git('rev-parse', 'HEAD');
    const files = [store.file('r1'), store.explanation('r1')];
    const before = files.map(identity);

    const second = await store.backup('r1', ios);
    expect(second.sanitized).toBe(false);
    expect(store.git('rev-parse', 'HEAD')).toBe(head);
    expect(files.map(identity)).toEqual(before);

    // The full path's result for the same text: the record removed, the sanitizer runs again.
    rmSync(store.explanation('r1'));
    const full = await store.backup('r1', ios);
    expect(full.sanitized).toBe(true);
    expect(second.saved).toEqual(full.saved);
    expect(full.saved).toMatchObject({ changed: false, created: false, diff: '' });
    expect(full.saved?.masked).toBeGreaterThan(0);
    expect(store.git('rev-parse', 'HEAD')).toBe(head);
  });

  it('keeps no plain hash of the received text, and its key never enters the store', async () => {
    const store = newStore();
    await store.backup('r1', ios);
    const kept = readFileSync(store.explanation('r1'), 'utf8');
    for (const text of [ios, ios.replace(/\r?\n/g, '\n')])
      for (const algorithm of ['sha1', 'sha256', 'sha512', 'md5'])
        expect(kept).not.toContain(createHash(algorithm).update(text).digest('hex'));
    expect(store.git('ls-files')).not.toContain(KEY_FILE);
    expect(readdirSync(stateFolder(store.folder))).toContain(KEY_FILE);
  });
});

describe('the full path, taken whenever the stored copy could differ', () => {
  it('another device output: changed', async () => {
    const store = newStore();
    await store.backup('r1', ios);
    const next = await store.backup('r1', withLine(ios, 'ip domain name lab.example'));
    expect(next).toMatchObject({ sanitized: true, saved: { changed: true } });
    expect(readFileSync(store.file('r1'), 'utf8')).toContain('ip domain name lab.example');
    // Same settings as the copy it replaces: the commit note is the task's line alone.
    expect(store.git('log', '-1', '--format=%B')).toMatch(/^r1: config changed$/m);
  });

  it('another rule: the stored copy follows it, and a rule that changes nothing is recorded once', async () => {
    const store = newStore();
    await store.backup('r1', ios);
    store.set({ noise: { ignore: ['^service timestamps'] } });
    const ruled = await store.backup('r1', ios);
    expect(ruled).toMatchObject({ sanitized: true, saved: { changed: true } });
    expect(readFileSync(store.file('r1'), 'utf8')).not.toMatch(/^service timestamps/m);

    store.set({ noise: { ignore: ['^service timestamps', '^no such line'] } });
    const head = store.git('rev-parse', 'HEAD');
    expect(await store.backup('r1', ios)).toMatchObject({ sanitized: true, saved: { changed: false } });
    expect(await store.backup('r1', ios)).toMatchObject({ sanitized: false, saved: { changed: false } });
    expect(store.git('rev-parse', 'HEAD')).toBe(head);

    store.set({ placeholders: 'removed' });
    expect(await store.backup('r1', ios)).toMatchObject({ saved: { changed: true } });
    expect(readFileSync(store.file('r1'), 'utf8')).toContain('<removed>');
    expect(store.git('log', '-1', '--format=%B')).toMatch(
      /^r1: config changed; secret placeholders are now <removed> /m,
    );
  });

  it('a secret shape learnt since the stored copy: the copy masks it, and the note and a warning say earlier commits hold it', async () => {
    const store = newStore();
    const raw = withLine(ios, 'crypto isakmp key 12345 address 198.18.0.9');
    // The netops that stored the first copy did not know the shape.
    const shapes = iosRules.secrets.shapes.filter((shape) => shape.name !== 'crypto isakmp key');
    const older = { ...iosRules, secrets: { ...iosRules.secrets, shapes } };
    expect(await store.backup('r1', raw, { rules: older })).toMatchObject({ warnings: [] });
    expect(readFileSync(store.file('r1'), 'utf8')).toContain('crypto isakmp key 12345 address');

    const next = await store.backup('r1', raw);
    expect(next).toMatchObject({ saved: { changed: true } });
    expect(readFileSync(store.file('r1'), 'utf8')).toMatch(
      /^crypto isakmp key <secret:[0-9a-f]{6}> address /m,
    );
    expect(store.git('log', '-1', '--format=%B')).toMatch(
      /^r1: config changed; 1 line\(s\) newly masked: earlier commits hold their secret in clear$/m,
    );
    expect(next.warnings).toEqual([
      expect.stringMatching(/^1 line\(s\) of the stored config now mask a secret/),
    ]);
    expect(next.warnings.join('\n')).not.toContain('12345');

    // A secret changed on the device afterwards is an ordinary change: no such note.
    const changed = await store.backup('r1', raw.replace('key 12345 address', 'key 67890 address'));
    expect(changed).toMatchObject({ saved: { changed: true }, warnings: [] });
    expect(store.git('log', '-1', '--format=%B')).toMatch(/^r1: config changed$/m);
  });

  it('another placeholder key: every placeholder changes', async () => {
    const store = newStore();
    await store.backup('r1', ios);
    const before = readFileSync(store.file('r1'), 'utf8');
    rmSync(path.join(stateFolder(store.folder), KEY_FILE));
    const next = await store.backup('r1', ios);
    expect(next).toMatchObject({ sanitized: true, saved: { changed: true } });
    const after = readFileSync(store.file('r1'), 'utf8');
    expect(after).not.toBe(before);
    expect(after.replace(/<secret:[0-9a-f]{6}>/g, '<s>')).toBe(
      before.replace(/<secret:[0-9a-f]{6}>/g, '<s>'),
    );
  });

  it('a copy edited by hand in the store, committed or not: the sanitized copy comes back', async () => {
    const store = newStore();
    await store.backup('r1', ios);
    const good = readFileSync(store.file('r1'), 'utf8');

    writeFileSync(store.file('r1'), `${good}! edited by hand\n`);
    const uncommitted = await store.backup('r1', ios);
    expect(uncommitted).toMatchObject({ sanitized: true, saved: { changed: false } });
    expect(readFileSync(store.file('r1'), 'utf8')).toBe(good);

    writeFileSync(store.file('r1'), `${good}! edited by hand\n`);
    store.git('-c', 'user.name=t', '-c', 'user.email=t@example.net', 'commit', '-qam', 'hand edit');
    const committed = await store.backup('r1', ios);
    expect(committed).toMatchObject({ sanitized: true, saved: { changed: true } });
    expect(readFileSync(store.file('r1'), 'utf8')).toBe(good);
    expect(store.git('status', '--porcelain')).toBe('');
  });

  it('an explanation of an older format: the full path once, and the record it writes serves the next', async () => {
    const store = newStore();
    await store.backup('r1', ios);
    const file = store.explanation('r1');
    const {
      format: _format,
      source: _source,
      ...older
    } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify(older)}\n`);
    expect(await store.backup('r1', ios)).toMatchObject({ sanitized: true, saved: { changed: false } });
    expect(await store.backup('r1', ios)).toMatchObject({ sanitized: false, saved: { changed: false } });

    for (const unreadable of [
      '{"format":2,"host":"r1","source":"not a record"}',
      '{"format":2,"host":"r1","source":{"mac":"00","masked":1}}',
      '{"format":2,"host":"r2","source":',
      '',
    ]) {
      writeFileSync(file, unreadable);
      expect(await store.backup('r1', ios)).toMatchObject({ sanitized: true, saved: { changed: false } });
    }
  });

  it('the same text that the device now says was cut: refused, the good copy stays', async () => {
    const store = newStore();
    await store.backup('r1', ios);
    const good = readFileSync(store.file('r1'), 'utf8');
    const cut = await store.backup('r1', ios, { tsize: Buffer.byteLength(ios) + 500 });
    expect(cut.error?.code).toBe('TRUNCATED');
    expect(readFileSync(store.file('r1'), 'utf8')).toBe(good);
  });

  it('NX-OS, whose !Time: line differs at each fetch: unchanged without sanitizing, its explanation kept', async () => {
    const store = newStore();
    await store.backup('n1', nxos, { platform: 'nxos' });
    const kept = identity(store.explanation('n1'));
    const later = nxos.replace(/^!Time: .*$/m, '!Time: Tue Dec  2 03:00:00 2025');
    expect(later).not.toBe(nxos);
    const next = await store.backup('n1', later, { platform: 'nxos' });
    expect(next).toMatchObject({ sanitized: false, saved: { changed: false } });
    expect(identity(store.explanation('n1'))).toBe(kept);
  });

  it('IOS after a write memory (a new NVRAM line in its head): unchanged without sanitizing', async () => {
    const store = newStore();
    await store.backup('r1', ios);
    const later = ios.replace(
      /^! NVRAM config last updated at .*$/m,
      '! NVRAM config last updated at 03:00:00 UTC Tue Dec 2 2025 by netops',
    );
    expect(later).not.toBe(ios);
    expect(await store.backup('r1', later)).toMatchObject({ sanitized: false, saved: { changed: false } });
  });

  it('a head line that is not volatile, or one more volatile line: the full path', async () => {
    const store = newStore();
    await store.backup('n1', nxos, { platform: 'nxos' });
    const comment = nxos.replace('!Command: show running-config', '!Command: show running-config all');
    expect(await store.backup('n1', comment, { platform: 'nxos' })).toMatchObject({ sanitized: true });
    const twice = nxos.replace(/^(!Time: .*)$/m, '$1\n!Time: Tue Dec  2 03:00:00 2025');
    expect(await store.backup('n1', twice, { platform: 'nxos' })).toMatchObject({ sanitized: true });
  });

  it('a volatile line below the head, one holding a secret word, or a text with CR LF: the full path', async () => {
    const store = newStore();
    const body = withLine(ios, 'ntp clock-period 17179869');
    await store.backup('r1', body);
    const drifted = withLine(ios, 'ntp clock-period 17179870');
    expect(await store.backup('r1', drifted)).toMatchObject({ sanitized: true, saved: { changed: false } });
    const secretWord = ios.replace(/^(! NVRAM config last updated at .*)$/m, '$1 key');
    await store.backup('r1', secretWord);
    const otherWord = ios.replace(/^(! NVRAM config last updated at .*)$/m, '$1 key2');
    expect(await store.backup('r1', otherWord)).toMatchObject({ sanitized: true });
    const crlf = ios.replaceAll('\n', '\r\n');
    await store.backup('r1', crlf);
    const crlfLater = crlf.replace(
      /^! NVRAM config last updated at .*$/m,
      '! NVRAM config last updated at 04:00:00 UTC Tue Dec 2 2025',
    );
    expect(await store.backup('r1', crlfLater)).toMatchObject({ sanitized: true });
  });
});
