/** The lab personas, where the tests import them from (the list lives in src/lab so bench/ can use it too). */
export { personaDevice, personaOverrides, personas, type Persona } from '../../src/lab/personas.js';
