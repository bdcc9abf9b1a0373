/** The ENTITY-MIB physical classes, apart from the facts schema so the CLI can list them without loading zod. */
/** entPhysicalClass 1..12 (RFC 6933), in MIB order: the value n names `entityClasses[n - 1]`. */
export const entityClasses = [
  'other',
  'unknown',
  'chassis',
  'backplane',
  'container',
  'powerSupply',
  'fan',
  'sensor',
  'module',
  'port',
  'stack',
  'cpu',
] as const;

export type EntityClass = (typeof entityClasses)[number];
