/**
 * Setup commands are best effort: a refused one is a note and the session goes on; one that never
 * brings the prompt back fails the host with SESSION_SETUP_FAILED, since nothing after it can be
 * told apart. Against the fake device (prompt `fake#`), with the nxos platform's setup list replaced.
 */
import { describe, expect, it } from 'vitest';
import type { SecretRef } from '../../src/config/model.js';
import { nxos } from '../../src/platforms/nxos/index.js';
import { openCliSession } from '../../src/platforms/session.js';
import { useStarted } from '../helpers/fixture.js';
import { fakeDevice, fakeDeviceHost } from '../channel/fake-device.js';

const device = useStarted(() => fakeDevice());

const open = (sessionSetup: readonly string[]) =>
  openCliSession({
    host: fakeDeviceHost(device.port),
    secret: async (ref: SecretRef) => ('value' in ref ? ref.value : ''),
    platform: { ...nxos, sessionSetup },
    timeouts: { loginMs: 5000, commandMs: 1500 },
  });

describe('session setup commands', () => {
  it('a refused one is noted and the session goes on', async () => {
    const session = await open(['terminal length 0', 'terminal colour 256']);
    try {
      expect(session.notes).toEqual([
        `"terminal colour 256" was refused (% Invalid command at '^' marker.); continuing without it`,
      ]);
      expect((await session.send('show ok')).text).toBe('all good');
    } finally {
      await session.close();
    }
  });

  it('one that never returns to the prompt fails the host with SESSION_SETUP_FAILED', async () => {
    const error = (await open(['terminal length 0', 'show hang']).catch((e: unknown) => e)) as {
      code: string;
      message: string;
      hint: string;
      details: Record<string, unknown>;
    };
    expect(error.code).toBe('SESSION_SETUP_FAILED');
    expect(error.message).toMatch(
      /did not complete the setup command "show hang": the prompt after "show hang"/,
    );
    expect(error.details).toMatchObject({ command: 'show hang', cause: 'PROMPT_TIMEOUT' });
    expect(error.hint).toMatch(/cannot be trusted/);
  });
});
