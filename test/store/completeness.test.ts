/**
 * The size a device announces against what arrived: a config clearly shorter than announced is
 * TRUNCATED even when it ends in `end` or has no previous copy; line endings, header lines and
 * rounding never make a whole config look cut.
 */
import { describe, expect, it } from 'vitest';
import { checkSizes } from '../../src/store/completeness.js';
import { prepareConfig } from '../../src/store/prepare.js';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { nxosRules } from '../../src/platforms/nxos/config-rules.js';

/** An IOS body of about `lines` lines, from `!` to `end`. */
function iosBody(lines: number): string {
  const out = ['!', 'version 15.2', 'hostname r1', '!'];
  for (let i = 0; out.length < lines - 1; i++) {
    out.push(
      `interface GigabitEthernet0/${i}`,
      ` description uplink ${i}`,
      ` ip address 10.0.${i % 250}.1 255.255.255.0`,
      '!',
    );
  }
  out.push('end');
  return `${out.join('\n')}\n`;
}

function showRun(body: string, announced = Buffer.byteLength(body)): string {
  return `Building configuration...\n\nCurrent configuration : ${announced} bytes\n${body}`;
}

describe('IOS Current configuration : N bytes', () => {
  it('accepts the whole config with LF or CRLF line endings', () => {
    const body = iosBody(400);
    expect(prepareConfig(showRun(body), iosRules)).toMatchObject({ ok: true });
    const crlf = showRun(body).replaceAll('\n', '\r\n');
    const prepared = prepareConfig(crlf, iosRules);
    expect(prepared).toMatchObject({ ok: true });
    expect(prepared.sizes).toEqual([
      {
        source: 'config-header',
        announced: Buffer.byteLength(body),
        received: Buffer.byteLength(body),
        truncated: false,
      },
    ]);
  });

  it('accepts a device that counts CR LF while sending LF, and a few header lines more or less', () => {
    const body = iosBody(400);
    const countedCrlf = Buffer.byteLength(body.replaceAll('\n', '\r\n'));
    expect(prepareConfig(showRun(body, countedCrlf), iosRules).ok).toBe(true);
    const withHeader = `! Last configuration change at 11:54:34 UTC Thu Aug 29 2024 by admin\n${body}`;
    expect(prepareConfig(showRun(withHeader, Buffer.byteLength(body)), iosRules).ok).toBe(true);
  });

  it('draws the line at the same byte for LF and CR LF captures, and for checkSizes alone', () => {
    const body = iosBody(400);
    const lineFeeds = body.split('\n').length - 1;
    // The largest announced size still accepted: what arrived, a CR per line, the slack (see completeness.ts).
    let limit = Buffer.byteLength(body) + lineFeeds + 1;
    while (limit + 1 <= Buffer.byteLength(body) + lineFeeds + 1 + 128 + Math.floor((limit + 1) * 0.02))
      limit += 1;
    for (const [announced, truncated] of [
      [limit, false],
      [limit + 1, true],
    ] as const) {
      const raw = showRun(body, announced);
      for (const text of [raw, raw.replaceAll('\n', '\r\n')]) {
        expect(prepareConfig(text, iosRules).sizes).toMatchObject([{ announced, truncated }]);
        expect(checkSizes(text, iosRules.sizeAnnouncements)).toMatchObject([{ announced, truncated }]);
      }
    }
  });

  it('refuses a capture that lost a part in the middle although it ends in end, naming both counts', () => {
    const body = iosBody(400);
    const lines = body.split('\n');
    const cut = [...lines.slice(0, 100), ...lines.slice(250)].join('\n');
    const prepared = prepareConfig(showRun(cut, Buffer.byteLength(body)), iosRules);
    expect(prepared).toMatchObject({ ok: false, code: 'TRUNCATED' });
    expect(!prepared.ok && prepared.reason).toBe(
      `the config is shorter than the device says: the config header announces ${Buffer.byteLength(body)} bytes, ${Buffer.byteLength(cut)} arrived`,
    );
  });
});

describe('copy dialogs and TFTP tsize', () => {
  const body = iosBody(400);
  it('IOS: N bytes copied against the uploaded file', () => {
    const dialog = `Address or name of remote host [192.0.2.10]?\r\nDestination filename [r1-confg]?\r\n!!\r\n${Buffer.byteLength(body)} bytes copied in 0.058 secs (25258 bytes/sec)\r\n`;
    expect(prepareConfig(body, iosRules, { evidence: { dialog } }).ok).toBe(true);
    const half = body.slice(0, body.length / 2);
    const prepared = prepareConfig(`${half}\nend\n`, iosRules, { evidence: { dialog } });
    expect(prepared).toMatchObject({ ok: false, code: 'TRUNCATED' });
    expect(prepared.sizes[0]).toMatchObject({
      source: 'copy-dialog',
      announced: Buffer.byteLength(body),
      truncated: true,
    });
  });

  it('NX-OS: the last KB figure of the progress, read at its smallest (two decimals, 1000-byte KB)', () => {
    const nxos = `!Command: show running-config\n!Time: Mon Dec  1 14:37:04 2025\n\nversion 10.4(5)\nhostname switch\n${'interface Ethernet1/1\n  description x\n'.repeat(400)}`;
    const kb = (Buffer.byteLength(nxos) / 1024).toFixed(2);
    const dialog = `Trying to connect to tftp server......\r\nConnection to Server Established.\r\n[                         ]         0.50KB\r[#########################]       ${kb}KB\r\n TFTP put operation was successful\r\nCopy complete.\r\n`;
    const whole = prepareConfig(nxos, nxosRules, { evidence: { dialog } });
    expect(whole).toMatchObject({ ok: true });
    expect(whole.sizes[0]?.announced).toBe(Math.floor((Number(kb) - 0.005) * 1000));
    const cut = prepareConfig(nxos.slice(0, nxos.length / 2), nxosRules, { evidence: { dialog } });
    expect(cut).toMatchObject({ ok: false, code: 'TRUNCATED' });
  });

  it('tsize from the write request counts for every platform; no announcement, no check', () => {
    expect(checkSizes(body, [], { tsize: Buffer.byteLength(body) })).toEqual([
      {
        source: 'tftp-tsize',
        announced: Buffer.byteLength(body),
        received: Buffer.byteLength(body),
        truncated: false,
      },
    ]);
    expect(checkSizes(body.slice(0, 1000), [], { tsize: Buffer.byteLength(body) })[0]?.truncated).toBe(true);
    expect(checkSizes(body, nxosRules.sizeAnnouncements, {})).toEqual([]);
  });
});
