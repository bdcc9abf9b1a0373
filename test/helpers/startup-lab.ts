/** The startup-config lab (tasks/startup-config-lab.ts) as a file-level fixture (see fixture.ts). */
import { startStartupLab, type StartupLab } from '../tasks/startup-config-lab.js';
import { useFixture } from './fixture.js';
import { closeLabAndFolder } from './labs.js';
import type { LabSpecInput } from '../../src/lab/spec.js';

/** A loopback lab with startup-config jobs run through the runner (tasks/startup-config-lab.ts). */
export function useStartupLab(spec: LabSpecInput): StartupLab {
  return useFixture(() => startStartupLab(spec), closeLabAndFolder);
}
