/**
 * Netmiko (Debian python3-netmiko) backs up every persona too: they are behaviours of real devices,
 * not traps for our client only. One Python process reads `show running-config` from every persona
 * device at once (one thread each), over SSH to 127.0.0.1 and, for IOS, Telnet to ::1; a device that
 * keeps paging is paged the way Netmiko users do it (a space per `--More--`), and a slow one is
 * read up to its `end`.
 */
import { describe, expect, it } from 'vitest';
import { useStarted } from '../helpers/fixture.js';
import { password, run, smallLab } from './lab-peers.js';
import { personaOverrides, personas } from '../../src/lab/personas.js';

// Debian's interpreter: python3-netmiko is importable only from it (not from a pyenv python3 on PATH).
const python = '/usr/bin/python3';

const script = `
import json, re, sys
from concurrent.futures import ThreadPoolExecutor
from netmiko import ConnectHandler

def backup(job):
    # Netmiko's defaults (no fast_cli: its waits are timed, and 20 sessions at once load the machine).
    try:
        conn = ConnectHandler(device_type=job['kind'], host=job['host'], port=job['port'], username='admin',
                              password=job['password'], timeout=30)
    except Exception as error:
        return {'name': job['name'], 'error': repr(error)}
    try:
        if job['pages']:
            until_page = r'--More-- $|' + re.escape(conn.base_prompt) + r'#\\s*$'
            conn.write_channel('show running-config' + conn.RETURN)
            out = conn.read_until_pattern(pattern=until_page)
            while out.endswith('--More-- '):
                conn.write_channel(' ')
                out += conn.read_until_pattern(pattern=until_page)
        elif job['slow']:
            # Its prompt probing sent extra returns whose prompts come late: read to the config's end.
            out = conn.send_command('show running-config', expect_string=r'\\nend')
        else:
            out = conn.send_command('show running-config')
        return {'name': job['name'], 'prompt': conn.find_prompt(), 'output': out}
    except Exception as error:
        return {'name': job['name'], 'error': repr(error)}
    finally:
        conn.disconnect()

jobs = json.load(sys.stdin)
with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
    print(json.dumps(list(pool.map(backup, jobs))))
`;

interface Outcome {
  readonly name: string;
  readonly prompt?: string;
  readonly output?: string;
  readonly error?: string;
}

const lab = useStarted(() => smallLab({ devices: personas.length, overrides: personaOverrides() }));

describe('Netmiko against every persona', () => {
  it('backs up each persona device', { timeout: 90_000 }, async () => {
    const jobs = personas.flatMap((persona, i) => {
      const device = lab.devices[i]!;
      const pages = persona.faults.refuseTerminal?.includes('length') ?? false;
      const base = { password, pages, slow: persona.faults.echo === 'slow' };
      const ssh = {
        ...base,
        name: `${device.name} ssh`,
        kind: `cisco_${persona.platform}`,
        host: '127.0.0.1',
        port: device.ports.ssh,
      };
      if (persona.platform !== 'ios') return [ssh];
      const telnet = {
        ...base,
        name: `${device.name} telnet`,
        kind: 'cisco_ios_telnet',
        host: '::1',
        port: device.ports.telnet,
      };
      return [ssh, telnet];
    });
    const child = run(python, ['-c', script], { timeout: 120_000, maxBuffer: 64 << 20 });
    child.child.stdin?.end(JSON.stringify(jobs));
    const outcomes = JSON.parse((await child).stdout) as Outcome[];
    expect(outcomes.map((o) => o.name)).toEqual(jobs.map((j) => j.name));
    for (const outcome of outcomes) {
      const device = outcome.name.split(' ')[0]!;
      const persona = personas[Number(device.slice(1)) - 1]!;
      expect(outcome.error, `${outcome.name} (${persona.name})`).toBeUndefined();
      expect(outcome.output, `${outcome.name} (${persona.name})`).toContain(`hostname ${device}`);
      // The paged read keeps the device's raw line ends and the prompt after `end`.
      const text = outcome.output?.replace(/\r/g, '').trimEnd();
      if (persona.platform === 'ios') expect(text, outcome.name).toMatch(/\nend(\n\S+#)?$/);
    }
  });
});
