/**
 * NX-OS refusals (device-reference.md §4.1, §4.4): a line of command output matching one means the command
 * was refused; a line of a fetched config matching one means the capture holds an error.
 */
export const nxosErrorMarkers: readonly RegExp[] = [
  /^% Invalid (command|parameter detected|input detected)/,
  // Oxidized also checks this one (§4.1): any other word before the caret.
  /^% Invalid .* at '\^' marker/,
  /^% Incomplete command/,
  /^% Ambiguous command/,
  /^% Permission denied/,
  /^Syntax error while parsing/,
  /TFTP (put|get) operation failed/,
  /^This command is deprecated\./,
];
