/**
 * `netops lab doctor --mode container`: can this machine run the container lab? Root, podman, runc
 * as its runtime (crun fails on hybrid cgroups), the cgroup setup, hard rlimits that allow the
 * `--ulimit`s every container gets, the network backend, mmdebstrap for the base image, and which
 * images are already built for the current inputs.
 */
import { readFile } from 'node:fs/promises';
import type { Check, DoctorReport } from '../netns/doctor.js';
import { run } from '../netns/command.js';
import { imageExists } from './image-build.js';
import { imageKinds, imageName, resolveImages } from './images.js';
import { containerLimits, podman, ulimitFlags } from './podman.js';

async function version(command: string, args: readonly string[], pkg: string): Promise<Check> {
  const result = await run(command, args, { allowFailure: true });
  const first = `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? '';
  return {
    name: command,
    ok: result.code === 0,
    detail: result.code === 0 ? first : 'not installed',
    package: pkg,
  };
}

/** Hard limits of this process (`Max open files`, `Max processes`), which containers cannot exceed. */
async function hardLimits(): Promise<Check> {
  const text = await readFile('/proc/self/limits', 'utf8');
  const hard = (label: string) => {
    const line = text.split('\n').find((l) => l.startsWith(label)) ?? '';
    const value = line.slice(label.length).trim().split(/\s+/)[1] ?? '0';
    return value === 'unlimited' ? Infinity : Number(value);
  };
  const nofile = hard('Max open files');
  const nproc = hard('Max processes');
  const ok = nofile >= containerLimits.nofile && nproc >= containerLimits.nproc;
  return {
    name: 'rlimits',
    ok,
    detail: `hard nofile ${nofile}, nproc ${nproc}; containers get nofile ${containerLimits.nofile}, nproc ${containerLimits.nproc}${ok ? '' : ': raise the hard limits (ulimit -H)'}`,
  };
}

async function podmanHost(): Promise<Check[]> {
  const format =
    '{{.Host.OCIRuntime.Name}} {{.Host.CgroupsVersion}} {{.Host.CgroupManager}} {{.Host.NetworkBackend}}';
  const { code, stdout, stderr } = await podman(['info', '--format', format], { allowFailure: true });
  if (code !== 0)
    return [
      {
        name: 'podman --runtime runc',
        ok: false,
        detail: stderr.trim() || 'podman info failed',
        package: 'runc',
      },
    ];
  const [runtime = '', cgroups = '', manager = '', backend = ''] = stdout.trim().split(' ');
  return [
    { name: 'runtime', ok: runtime === 'runc', detail: `${runtime} (the lab always passes --runtime runc)` },
    { name: 'cgroups', ok: true, detail: `${cgroups} with ${manager}` },
    {
      name: 'network backend',
      ok: backend === 'cni' || backend === 'netavark',
      detail: `${backend}${backend === 'cni' ? '' : ' (the lab is verified with cni)'}`,
    },
  ];
}

/** A throw-away container of the base image, started as the lab starts them (runc, rlimits). */
async function runcStarts(base: string): Promise<Check> {
  const argv = ['run', '--rm', '--network', 'none', ...ulimitFlags, base, 'true'];
  const { code, stderr } = await podman(argv, { allowFailure: true });
  const detail = code === 0 ? `a container of ${base} ran` : stderr.trim().split('\n').slice(-2).join(' ');
  return { name: 'runc container', ok: code === 0, detail };
}

async function images(): Promise<Check[]> {
  const refs = await resolveImages().catch(() => undefined);
  if (!refs)
    return [{ name: 'images', ok: false, detail: 'the compiled lab (dist/) is missing: npm run build' }];
  const missing = [];
  for (const kind of imageKinds) if (!(await imageExists(refs[kind]))) missing.push(imageName(refs[kind]));
  const started = missing.includes(imageName(refs.base)) ? [] : [await runcStarts(imageName(refs.base))];
  const built: Check = {
    name: 'images',
    // Not a fault: `lab up` builds what is missing.
    ok: true,
    detail:
      missing.length === 0
        ? 'all built for the current inputs'
        : `to build (netops lab images build): ${missing.join(', ')}`,
  };
  return [...started, built];
}

export async function containerLabDoctor(): Promise<DoctorReport> {
  const root = process.getuid?.() === 0;
  const checks: Check[] = [
    {
      name: 'root',
      ok: root,
      detail: root ? 'running as root' : 'podman networks and routes need root: run with sudo',
    },
    await version('podman', ['--version'], 'podman'),
    await version('runc', ['--version'], 'runc'),
    await version('mmdebstrap', ['--version'], 'mmdebstrap'),
    await hardLimits(),
  ];
  if (checks[1]?.ok) checks.push(...(await podmanHost()), ...(await images()));
  const packages = [...new Set(checks.filter((c) => !c.ok && c.package).map((c) => c.package as string))];
  return {
    checks,
    ok: checks.every((c) => c.ok),
    ...(packages.length > 0
      ? {
          installCommand: `sudo apt-get install -y --no-install-recommends ${packages.join(' ')}   (or: sudo bash scripts/install-deps.sh)`,
        }
      : {}),
  };
}
