/**
 * A device that gave up on its upload: the hint leads with the route/source-interface evidence and,
 * when netops' server is not on port 69, says that a device told `tftp://SERVER/FILE` sends to 69.
 */
import { describe, expect, it } from 'vitest';
import { NetopsError } from '../../src/core/errors.js';
import { gaveUpError } from '../../src/tasks/backup/device-gave-up.js';

const deviceError = new NetopsError('COMMAND_REJECTED', 'copy refused', {
  hint: 'none',
  details: {
    command: 'copy running-config tftp://198.18.0.1/r1-confg',
    output: '%Error opening tftp://198.18.0.1/r1-confg (Timed out)\n',
  },
});
const waitError = new NetopsError('ABORTED', 'stopped waiting', { hint: 'none' });
const gaveUp = (serverPorts: number[]) =>
  gaveUpError({
    host: 'r1',
    filename: 'r1-confg',
    sources: ['198.18.0.10'],
    deviceError,
    waitError,
    serverPorts,
  });

describe('a device that gave up on its upload', () => {
  it('with the server on port 69: the route and source-interface hint alone, the device quoted', () => {
    const error = gaveUp([69]);
    expect(error.code).toBe('TFTP_NO_UPLOAD');
    expect(error.message).toContain('it said "%Error opening tftp://198.18.0.1/r1-confg (Timed out)"');
    expect(error.hint).toMatch(/^r1 never reached the server: check the route, ACL or VRF/);
    expect(error.hint).not.toContain('port');
  });

  it('with the server on another port: the hint says devices upload to port 69', () => {
    const error = gaveUp([6969]);
    expect(error.hint).toMatch(/^r1 never reached the server/);
    expect(error.hint).toContain("netops' TFTP server listens on port 6969");
    expect(error.hint).toContain('uploads to port 69 unless set otherwise');
  });
});
