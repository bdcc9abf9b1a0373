/**
 * vtysh refusals: a line of command output matching one means the command was refused; a line of a
 * fetched config matching one means the capture holds an error.
 */
export const frrErrorMarkers: readonly RegExp[] = [
  /^% Unknown command/,
  /^% Command incomplete/,
  /^% Ambiguous command/,
  /^% There is no matched command/,
  /^% Configuration failed/,
  /^% Malformed/,
];
