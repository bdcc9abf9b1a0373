/**
 * `copy SRC DST` for IOS (device-reference.md §2, §3) and NX-OS (§4.3, §4.4): interactive and
 * one-shot URL forms, TFTP uploads and downloads through the device's TFTP client, saves, merges,
 * and the Nexus 7000 refusal of `copy bootflash:FILE startup-config`.
 */
import {
  DeviceTftpError,
  deviceDownload,
  deviceUpload,
  parseTftpUrl,
  tftpUrl,
  type TftpTarget,
} from '../device/device-tftp.js';
import { nxosShowRunning } from '../device/render.js';
import { ask, type Session } from './context.js';

type Location =
  | { readonly kind: 'running' }
  | { readonly kind: 'startup' }
  | { readonly kind: 'tftp'; readonly server?: string; readonly port?: number; readonly filename?: string }
  | { readonly kind: 'file'; readonly path: string };

function locate(token: string): Location | undefined {
  const t = token.toLowerCase();
  if (t.length >= 3 && ('running-config'.startsWith(t) || t === 'system:running-config'))
    return { kind: 'running' };
  if (t.length >= 3 && ('startup-config'.startsWith(t) || t === 'nvram:startup-config'))
    return { kind: 'startup' };
  if (t === 'tftp:' || t === 'tftp:/' || t === 'tftp://') return { kind: 'tftp' };
  const url = parseTftpUrl(token);
  if (url) return { kind: 'tftp', ...url };
  if (/^(flash\d?|bootflash|nvram|disk\d|slot\d|volatile):/.test(t)) return { kind: 'file', path: token };
  return undefined;
}

export const nxosStartupRefusal =
  "This command is deprecated. To obtain the same results, please use\nthe sequence 'write erase' + 'reload' + 'copy  running-config' +\n'copy running-config startup-config'.\n";

const withDefault = (answer: string, fallback: string) => (answer === '' ? fallback : answer);

function copiedLine(bytes: number, ms: number): string {
  const secs = Math.max(ms, 1) / 1000;
  return `${bytes} bytes copied in ${secs.toFixed(3)} secs (${Math.floor(bytes / secs)} bytes/sec)\n`;
}

export async function copyCommand(s: Session, args: readonly string[]): Promise<void> {
  const [srcToken = '', dstToken = '', rest = ''] = args;
  const src = locate(srcToken);
  const dst = locate(dstToken);
  const vrf = /^vrf (\S+)$/i.exec(rest.trim())?.[1];
  if (!src || !dst) {
    const bad = src ? dstToken : srcToken;
    await s.term.print(`%Error opening ${bad} (No such file or directory)\n`);
    return;
  }
  if (s.device.platform === 'ios') await iosCopy(s, src, dst);
  else await nxosCopy(s, src, dst, vrf);
}

/** The configuration text a copy sends: the body from `!` to `end` (IOS) or the NX-OS listing. */
function runningText(s: Session): Buffer {
  const d = s.device;
  if (d.platform === 'ios') return Buffer.from(d.body());
  return Buffer.from(nxosShowRunning(d.body(), 'show running-config', d.renderContext(), new Date()));
}

async function iosTarget(
  s: Session,
  loc: Extract<Location, { kind: 'tftp' }>,
  fallbackFile: string,
  question: string,
): Promise<TftpTarget> {
  const server = withDefault(
    await ask(s, `Address or name of remote host [${loc.server ?? ''}]? `),
    loc.server ?? '',
  );
  const filename = withDefault(
    await ask(s, `${question} [${loc.filename ?? fallbackFile}]? `),
    loc.filename ?? fallbackFile,
  );
  return { server, filename, ...(loc.port ? { port: loc.port } : {}) };
}

async function iosCopy(s: Session, src: Location, dst: Location): Promise<void> {
  const d = s.device;
  const by = s.user;
  if ((src.kind === 'running' || src.kind === 'startup') && dst.kind === 'tftp') {
    const target = await iosTarget(s, dst, `${d.hostname.toLowerCase()}-confg`, 'Destination filename');
    const data = src.kind === 'running' ? runningText(s) : Buffer.from(d.startup ?? '');
    let bangs = 0;
    try {
      const result = await deviceUpload(d, target, data, (block) => {
        if (block % 8 === 1) {
          bangs++;
          s.term.echo('!');
        }
      });
      await s.term.print(`${bangs ? '\n' : ''}${copiedLine(result.bytes, result.ms)}`);
    } catch (error) {
      await s.term.print(`${bangs ? '\n' : ''}%Error opening ${tftpUrl(target)} (${reason(error)})\n`);
    }
    return;
  }
  if (src.kind === 'running' && dst.kind === 'startup') {
    await ask(s, 'Destination filename [startup-config]? ');
    await s.term.print('Building configuration...\n');
    d.saveStartup(by);
    await s.term.print('[OK]\n');
    return;
  }
  if (src.kind === 'running' && dst.kind === 'file') {
    const name = dst.path.replace(/^[^:]+:\/*/, '');
    const path = withDefault(await ask(s, `Destination filename [${name}]? `), name);
    const data = runningText(s);
    d.writeFile(`${dst.path.split(':')[0]}:${path}`, data);
    await s.term.print(copiedLine(data.length, 20));
    return;
  }
  const loaded = await iosLoad(s, src);
  if (!loaded) return;
  if (dst.kind === 'running') {
    d.merge(loaded.toString('latin1'), by);
  } else if (dst.kind === 'startup') {
    d.setStartup(loaded.toString('latin1'));
    await s.term.print('[OK]\n');
  } else if (dst.kind === 'file') {
    d.writeFile(dst.path, loaded);
  } else {
    await s.term.print('%Error: source and destination cannot both be network files\n');
  }
}

/** Reads the source of a copy into the device (TFTP, a file, startup-config), printing as IOS does. */
async function iosLoad(s: Session, src: Location): Promise<Buffer | undefined> {
  const d = s.device;
  if (src.kind === 'startup') {
    await ask(s, 'Destination filename [running-config]? ');
    const data = Buffer.from(d.startup ?? '');
    await s.term.print(copiedLine(data.length, 12));
    return data;
  }
  if (src.kind === 'file') {
    await ask(s, 'Destination filename [running-config]? ');
    const data = d.readFile(src.path);
    if (!data) {
      await s.term.print(`%Error opening ${src.path} (No such file or directory)\n`);
      return undefined;
    }
    await s.term.print(copiedLine(data.length, 12));
    return data;
  }
  if (src.kind !== 'tftp') return undefined;
  const target = await iosTarget(s, src, '', 'Source filename');
  await ask(s, 'Destination filename [running-config]? ');
  await s.term.print(`Accessing ${tftpUrl(target)}...\n`);
  const started = Date.now();
  try {
    const data = await deviceDownload(d, target);
    await s.term.print(
      `Loading ${target.filename} from ${target.server} (via GigabitEthernet0/0): !\n[OK - ${data.length} bytes]\n\n`,
    );
    await s.term.print(copiedLine(data.length, Date.now() - started));
    return data;
  } catch (error) {
    await s.term.print(`%Error opening ${tftpUrl(target)} (${reason(error)})\n`);
    return undefined;
  }
}

const reason = (error: unknown) => (error instanceof DeviceTftpError ? error.reason : 'Undefined error');

async function nxosVrf(s: Session, vrf: string | undefined): Promise<string> {
  if (vrf) return vrf;
  return withDefault(
    await ask(s, "Enter vrf (If no input, current vrf 'default' is considered): "),
    'default',
  );
}

async function nxosCopy(s: Session, src: Location, dst: Location, vrfArg: string | undefined): Promise<void> {
  const d = s.device;
  if (src.kind === 'running' && dst.kind === 'startup') {
    await s.term.print('[########################################] 100%\n');
    d.saveStartup(s.user);
    await s.term.print('Copy complete, now saving to disk (please wait)...\nCopy complete.\n');
    return;
  }
  if (dst.kind === 'startup') {
    await s.term.print(nxosStartupRefusal);
    return;
  }
  if (src.kind === 'running' && dst.kind === 'tftp') {
    await nxosUpload(s, dst, vrfArg);
    return;
  }
  if (src.kind === 'running' && dst.kind === 'file') {
    d.writeFile(dst.path, runningText(s));
    await s.term.print('Copy complete.\n');
    return;
  }
  const data = await nxosLoad(s, src, vrfArg);
  if (!data) return;
  if (dst.kind === 'running') d.merge(data.toString('latin1'), s.user);
  else if (dst.kind === 'file') d.writeFile(dst.path, data);
  await s.term.print('Copy complete, now saving to disk (please wait)...\nCopy complete.\n');
}

/** The target a `tftp://SERVER[:PORT]/FILE` URL names; the VRF is asked when the command line has none. */
async function nxosUrlTarget(
  s: Session,
  server: string,
  url: Extract<Location, { kind: 'tftp' }>,
  vrfArg: string | undefined,
): Promise<TftpTarget> {
  return {
    server,
    filename: url.filename ?? '',
    vrf: await nxosVrf(s, vrfArg),
    ...(url.port ? { port: url.port } : {}),
  };
}

/** `copy running-config tftp:...`: asks what the URL leaves out, then puts the listing. */
async function nxosUpload(
  s: Session,
  dst: Extract<Location, { kind: 'tftp' }>,
  vrfArg: string | undefined,
): Promise<void> {
  const d = s.device;
  let target: TftpTarget;
  if (dst.server === undefined) {
    const filename = withDefault(
      await ask(s, `Enter destination filename: [${d.hostname}-running-config] `),
      `${d.hostname}-running-config`,
    );
    const vrf = await nxosVrf(s, vrfArg);
    const server = await ask(s, 'Enter hostname for the tftp server: ');
    target = { server, filename, vrf };
  } else target = await nxosUrlTarget(s, dst.server, dst, vrfArg);
  await s.term.print('Trying to connect to tftp server......\n');
  try {
    const data = runningText(s);
    const result = await deviceUpload(d, target, data);
    const kb = (result.bytes / 1024).toFixed(2);
    await s.term.print(
      `Connection to Server Established.\n[                         ]         0.50KB\r[#########################]  ${kb.padStart(10)}KB\n TFTP put operation was successful\nCopy complete.\n`,
    );
  } catch (error) {
    await s.term.print(` TFTP put operation failed:${nxosReason(error)}\n`);
  }
}

/** Reads the source of a copy into the device (TFTP, a file, startup-config), printing as NX-OS does. */
async function nxosLoad(s: Session, src: Location, vrfArg: string | undefined): Promise<Buffer | undefined> {
  const d = s.device;
  if (src.kind === 'tftp' && src.server !== undefined) {
    const target = await nxosUrlTarget(s, src.server, src, vrfArg);
    await s.term.print('Trying to connect to tftp server......\n');
    try {
      const data = await deviceDownload(d, target);
      await s.term.print('Connection to Server Established.\n TFTP get operation was successful\n');
      return data;
    } catch (error) {
      await s.term.print(` TFTP get operation failed:${nxosReason(error)}\n`);
      return undefined;
    }
  }
  if (src.kind === 'file') {
    const data = d.readFile(src.path);
    if (!data) await s.term.print(`%Error opening ${src.path} (No such file or directory)\n`);
    return data;
  }
  if (src.kind === 'startup') return Buffer.from(d.startup ?? '');
  return undefined;
}

const nxosReason = (error: unknown) =>
  error instanceof DeviceTftpError ? error.nxosReason : 'Undefined error';
