// One run of a server process against the clients (clients.mjs), shared by instructions.mjs (the
// server under callgrind), ab-uploads.mjs (builds alternating) and bench.mjs (the C and batch addon
// floors): the server is started, its port (or the floor's ports) read from its first line, the
// clients sent at it, and its exit awaited.
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Runs `upload-server.mjs mode count size dist` (`addon` in place of dist for mode batch), behind
 * `wrapper` (e.g. valgrind and its options) when given; resolves with the server's exit code and what
 * it wrote on stderr.
 */
export async function uploadRun({ wrapper = [], mode, count, size, dist = 'dist', addon }) {
  const [command, ...prefix] = [...wrapper, process.execPath];
  return serverRun(
    command,
    [
      ...prefix,
      here('./upload-server.mjs'),
      mode,
      String(count),
      String(size),
      mode === 'batch' ? addon : dist,
    ],
    (target) =>
      mode === 'ours' ? ['tftp', target, String(count), String(size)] : ['floor', target, String(size)],
  );
}

/**
 * Starts a server process (`command args`) that prints where it listens on its first stdout line,
 * sends it the clients (clients.mjs with `clientArgs(that line)`), and resolves once the server has
 * exited: its exit code and what it wrote on stderr (its resource use, last).
 */
export async function serverRun(command, args, clientArgs) {
  const server = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  server.stderr.on('data', (data) => (errors += data));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const target = await new Promise((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (data) => {
      text += data;
      if (text.includes('\n')) resolve(text.trim());
    });
    server.once('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited with ${code} before listening: ${errors}`)),
    );
  });
  await promisify(execFile)(process.execPath, [here('./clients.mjs'), ...clientArgs(target)], {
    maxBuffer: 2 ** 26,
  });
  return { code: await exited, errors };
}

/** The command-line options saying how many uploads of what size (for node:util parseArgs). */
export const uploadOptions = (uploads) => ({
  uploads: { type: 'string', default: String(uploads) },
  size: { type: 'string', default: '51200' },
});

/** One run of the C floor compiled at `binary` against the floor's clients: its { cpu, minorFaults }. */
export async function cFloorRun(binary, count, size) {
  const { code, errors } = await serverRun(binary, [String(count), String(size)], (ports) => [
    'floor',
    ports,
    String(size),
  ]);
  if (code !== 0) throw new Error(`c-floor exited with ${code}: ${errors}`);
  return JSON.parse(errors.trim().split('\n').at(-1));
}
