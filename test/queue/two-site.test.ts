/**
 * Scale-out across sites, through the CLI as an operator runs it: a real redis-server, three workers
 * as separate processes (site `a` and site `b` each in its own lab namespace with its own TFTP
 * address and devices only it reaches, `hq` on the host), and `netops run --queue` on the host
 * writing the one store. Every lab device is backed up with each method, each run one commit; hosts
 * of a site without a worker fail with a reason naming the site while the others succeed.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleAddresses } from '../../src/lab/netns/addressing.js';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { placeholderKey } from '../../src/store/placeholder-key.js';
import { storeStateDir } from '../../src/store/store-state.js';
import { inNs } from '../lab/netns/helpers.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useTwoSites } from './two-site.js';
import { useWorkers } from './workers.js';

const t = useTwoSites('netops-queue-sites-');
const workers = useWorkers();
const store = () => path.join(t.dir, 'store');
const coordinatorEnv = () => ({ NETOPS_STATE_DIR: path.join(t.dir, 'coordinator') });
const git = (...args: string[]) => execFileSync('git', ['-C', store(), ...args], { encoding: 'utf8' });

beforeAll(async () => {
  // The operator's first step: the store's placeholder key exists on the coordinator, and each
  // worker gets a copy (the sanitized configs it returns carry placeholders made with it).
  await placeholderKey(store(), coordinatorEnv());
  const key = path.join(await storeStateDir(store(), coordinatorEnv()), 'placeholder.key');
  for (const site of Object.values(t.sites))
    await workers.start({
      name: `worker-${site.name}`,
      site,
      queue: t.redis.url,
      dir: path.join(t.dir, `worker-${site.name}`),
      placeholderKey: key,
      secrets: t.secrets,
    });
}, 120_000);

async function backupJob(method: string): Promise<string> {
  const file = `nightly-${method}.yaml`;
  await writeFile(
    path.join(t.dir, file),
    `name: nightly-${method}
inventory: inventory.yaml
concurrency: 8
trustNewHostKeys: true
timeouts: { step: 90s }
tftp: { timeout: 20 }
store: { dir: store, author: { name: netops-test, email: test@example.net } }
steps:
  - task: backup
    params: { method: ${method} }
`,
  );
  return file;
}

/** `netops run JOB --queue URL --json` on the host, as the coordinator; no lab secret in its environment. */
async function coordinate(job: string, ...args: string[]): Promise<RunRecord & { code: number | null }> {
  const result = await runNetops(['run', job, '--queue', t.redis.url, '--json', ...args], {
    cwd: t.dir,
    env: coordinatorEnv(),
  });
  expect(result.stdout, result.stderr).toMatch(/^\{/);
  return { ...runRecordSchema.parse(JSON.parse(result.stdout)), code: result.code };
}

const served = () => [...t.sites.a.hosts, ...t.sites.b.hosts, ...t.sites.hq.hosts];

describe('the two-site topology', () => {
  it('lets each site reach its own devices and redis, and nothing else', async () => {
    for (const site of [t.sites.a, t.sites.b]) {
      const pong = await inNs(site.namespace!, ['redis-cli', '-p', String(t.redis.port), 'PING']);
      expect(pong.stdout.trim(), `${site.name}: ${pong.stderr}`).toBe('PONG');
      const device = await inNs(site.namespace!, ['ping', '-c', '1', '-W', '2', '198.18.0.10']);
      expect(device.code).toBe(0);
      // No route out of a site: an address that is not the site's own goes nowhere.
      const out = await inNs(site.namespace!, ['ping', '-c', '1', '-W', '1', scaleAddresses(0).ipv4]);
      expect(out.code).not.toBe(0);
    }
    expect(t.sites.a.hosts).toEqual(['a1', 'a1-v6', 'a2', 'a2-v6']);
    expect(t.sites.b.hosts).toEqual(['b1', 'b1-v6', 'b2', 'b2-v6']);
    expect(t.orphans).toEqual(['r1', 'r1-v6']);
  });
});

describe.each(['tftp-cli', 'tftp-snmp', 'show'])('a queued backup with method %s', (method) => {
  it('backs up every device of every site once, from its own site, in one commit', async () => {
    await rm(store(), { recursive: true, force: true });
    const record = await coordinate(await backupJob(method), '--limit', served().join(','));
    expect(record.code).toBe(0);
    expect(record.hosts.map((h) => h.host).sort()).toEqual(served().sort());
    for (const host of record.hosts) {
      const step = host.steps[0]!;
      expect(step.status, `${host.host}: ${step.error?.message}`).toBe('changed');
      expect(step.data).toMatchObject({ method, path: `configs/${host.host}.cfg` });
      // a1 and b1 share an address in different sites: the stored config says which device answered.
      const stored = await readFile(path.join(store(), 'configs', `${host.host}.cfg`), 'utf8');
      expect(stored).toMatch(new RegExp(`^hostname ${host.host.replace(/-v6$/, '')}$`, 'm'));
      expect(stored).not.toContain(t.secrets['NETOPS_LAB_PASSWORD']);
    }
    expect(git('rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(git('status', '--porcelain')).toBe('');
  });
});

/** Every value Redis holds now (strings, hashes, lists, sets, sorted sets, streams), one per line. */
const everythingInRedis = `
local out = {}
local function add(values) for _, v in ipairs(values) do out[#out + 1] = v end end
for _, key in ipairs(redis.call('KEYS', '*')) do
  local kind = redis.call('TYPE', key).ok
  if kind == 'string' then add({ redis.call('GET', key) })
  elseif kind == 'hash' then add(redis.call('HGETALL', key))
  elseif kind == 'list' then add(redis.call('LRANGE', key, 0, -1))
  elseif kind == 'set' then add(redis.call('SMEMBERS', key))
  elseif kind == 'zset' then add(redis.call('ZRANGE', key, 0, -1))
  elseif kind == 'stream' then
    for _, entry in ipairs(redis.call('XRANGE', key, '-', '+')) do add(entry[2]) end
  end
end
return table.concat(out, '\\n')
`;

describe('what Redis holds after those runs', () => {
  it('has the runs and their results, and no secret in clear', async () => {
    const held = await t.redis.cli('EVAL', everythingInRedis, '0');
    expect(held).toContain('hostname a1');
    for (const [name, secret] of Object.entries(t.secrets)) expect(held, name).not.toContain(secret);
  });
});

describe('a site with no worker', () => {
  it('fails its hosts with a reason naming the site; the other sites succeed', async () => {
    await rm(store(), { recursive: true, force: true });
    const record = await coordinate(await backupJob('show'), '--site-timeout', '3');
    expect(record.code).toBe(1);
    for (const host of record.hosts) {
      const step = host.steps[0]!;
      if (t.orphans.includes(host.host)) {
        expect(step.status).toBe('failed');
        expect(step.error?.code).toBe('NO_WORKER');
        expect(step.error?.message).toContain('site c');
      } else expect(step.status, `${host.host}: ${step.error?.message}`).toBe('changed');
    }
    expect(record.summary.failed).toBe(t.orphans.length);
    expect(git('rev-list', '--count', 'HEAD').trim()).toBe('1');
  });
});
