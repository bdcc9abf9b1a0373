/** `netops addr explain` as a user reads it (text) and as a script reads it (--json). */
import { Command } from 'commander';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { register } from '../../src/cli/commands/addr-explain.js';

let output = '';
beforeEach(() => {
  output = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

async function explain(...args: string[]): Promise<void> {
  const program = new Command('netops').exitOverride();
  register(program);
  await program.parseAsync(['addr', 'explain', ...args], { from: 'user' });
}

it('explains afe:fe01:: as 10.254.254.1 read as the top 32 bits', async () => {
  await explain('AFE:FE01:0:0::');
  expect(output).toMatch(/^family +IPv6$/m);
  expect(output).toMatch(/^canonical +afe:fe01:: +\(RFC 5952\)$/m);
  expect(output).toMatch(/^embeds +IPv4 10\.254\.254\.1 \(ipv4-in-top-32-bits\)/m);
});

it('shows the multicast MAC, the 32 groups sharing it and the control-block warning', async () => {
  await explain('225.0.0.1');
  expect(output).toMatch(/^multicast +scope global, Ethernet MAC 01:00:5e:00:00:01$/m);
  expect(output).toMatch(/^same MAC +32 groups: 224\.0\.0\.1 224\.128\.0\.1 225\.0\.0\.1 /m);
  expect(output).toMatch(/^warning +.*224\.0\.0\.1/m);
});

it('prints JSON with --json', async () => {
  await explain('2002:a01:102::1', '--json');
  const parsed = JSON.parse(output);
  expect(parsed).toMatchObject({ family: 6, canonical: '2002:a01:102::1', scope: '6to4 (RFC 3056)' });
  expect(parsed.embedded).toContainEqual(expect.objectContaining({ form: '6to4', ipv4: '10.1.1.2' }));
});

it('refuses what is not an address with CONFIG_INVALID', async () => {
  await expect(explain('r1')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
});
