/**
 * IOS and IOS-XE refusals (device-reference.md §1.8): a line of command output matching one means the
 * command was refused; a line of a fetched config matching one means the capture holds an error.
 */
export const iosErrorMarkers: readonly RegExp[] = [
  /^% ?Invalid input detected/,
  /^% ?Incomplete command/,
  /^% ?Ambiguous command/,
  /^% ?Unknown command/,
  /^%Error /,
  /Command authorization failed/,
];
