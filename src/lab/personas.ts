/**
 * The unfriendly device personas (docs/lab.md cites the real behaviour of each) as a lab of one
 * device per persona: the persona tests (netops and Netmiko) and bench/cli-session/personas.mjs use
 * it. Devices alternate ios/nxos, so a persona's place in the list gives its platform.
 */
import type { Platform } from './device/model.js';
import type { LabSpecInput } from './spec.js';

type Overrides = NonNullable<LabSpecInput['overrides']>;
/** Faults as the lab spec takes them. */
type Faults = NonNullable<Overrides[string]['faults']>;

export interface Persona {
  readonly name: string;
  readonly platform: Platform;
  readonly faults: Faults;
  /**
   * Whether the persona touches what a `tftp-cli` backup goes through (login, setup commands, the
   * copy dialog). The config of a TFTP upload carries no `show` header, so header personas do not.
   */
  readonly tftpCli: boolean;
}

const list: ReadonlyArray<Omit<Persona, 'platform'>> = [
  // ios: IOS-XE `Building configuration...` / `Current configuration : N bytes` is the default framing.
  { name: 'default', faults: {}, tftpCli: true },
  { name: 'default', faults: {}, tftpCli: true },
  { name: 'no keystroke echo', faults: { echo: 'none' }, tftpCli: true },
  { name: 'whole-line echo after return', faults: { echo: 'line' }, tftpCli: true },
  { name: 'banner with r1# and --More--', faults: { banner: true }, tftpCli: true },
  { name: 'ANSI colour prompt with trailing space', faults: { ansiPrompt: true }, tftpCli: true },
  { name: 'slow echo (500 ms)', faults: { echo: 'slow' }, tftpCli: true },
  { name: 'NX-OS !Running configuration last done at', faults: { lastDoneHeader: true }, tftpCli: false },
  { name: 'Username: asked again after a refused try', faults: { loginRetry: true }, tftpCli: true },
  { name: 'terminal width refused', faults: { refuseTerminal: ['width'] }, tftpCli: true },
  { name: 'terminal length 0 refused (paging stays)', faults: { refuseTerminal: ['length'] }, tftpCli: true },
  { name: 'LF line endings', faults: { lineEnding: 'lf' }, tftpCli: true },
  { name: 'LFCR line endings', faults: { lineEnding: 'lfcr' }, tftpCli: true },
  { name: 'output in 1-byte chunks', faults: { chunkBytes: 1 }, tftpCli: true },
];

export const personas: readonly Persona[] = list.map((p, i) => ({
  ...p,
  platform: i % 2 === 0 ? 'ios' : 'nxos',
}));

/** The device name of persona `i` in a lab named `r1`, `r2`, ... */
export const personaDevice = (i: number): string => `r${i + 1}`;

/** The lab spec overrides that give each device its persona. */
export function personaOverrides(): Overrides {
  return Object.fromEntries(personas.map((p, i) => [personaDevice(i), { faults: p.faults }]));
}
