/** Job file sections owned by other layers, by name, one line each (validated at load time). */
import type { z } from 'zod';

export const jobSections: Readonly<Record<string, z.ZodType>> = {};
