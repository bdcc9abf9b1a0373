/**
 * Entry point of a simulated-device process inside a namespace: `node device-main.js CONFIG.json`,
 * where the file holds `{ devices: SimDeviceConfig[] }` (one device per process in the netns lab,
 * thousands in the scale namespace). Prints `ready N` once every device listens; SIGTERM stops it.
 */
import { readFile } from 'node:fs/promises';
import { startSimDevice, type RunningSimDevice, type SimDeviceConfig } from './sim-device.js';

async function main(file: string): Promise<void> {
  const { devices } = JSON.parse(await readFile(file, 'utf8')) as { devices: SimDeviceConfig[] };
  const running: RunningSimDevice[] = [];
  const stop = async () => {
    await Promise.all(running.map((d) => d.close()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  for (const config of devices) running.push(await startSimDevice(config));
  process.stdout.write(`ready ${running.length}\n`);
}

main(process.argv[2] ?? '').catch((error: unknown) => {
  process.stderr.write(`device-main: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
