/**
 * How a platform installs a new startup-config, as data the `startup-config` task dispatches on by
 * `kind`. The commands and their questions come from the platform's own fields (copyFromTftp, save,
 * erase, reload, startupConfig, runningConfig, bootDialogs, login); a workflow only adds what no
 * other field says. A platform without one is refused by the task before anything is contacted.
 */
export type StartupConfigWorkflow = InstallInPlace | RebuildOnConsole;

/**
 * The device installs a file as its startup-config while it runs (IOS, device-reference §2.5, §3):
 * `copyFromTftp(from, 'startup-config')`, read back with `startupConfig`; on request `reload` and
 * wait for SSH to come back with the new config running. `mode: replace` only where `replace` is given.
 */
export interface InstallInPlace {
  readonly kind: 'install-in-place';
  readonly replace?: ConfigReplace;
}

/**
 * `replaced`: the running config is the file. `reverted`: a line was refused and the device put its
 * previous running-config back. `refused`: the device did not start (file unreadable or not a
 * complete config). `partial`: the device gave up with the lines it could apply applied.
 * `unknown`: the output says none of these.
 */
export type ReplaceOutcome = 'replaced' | 'reverted' | 'refused' | 'partial' | 'unknown';

/** Swapping the running config for a file at once, then `save`. */
export interface ConfigReplace {
  /** The command that replaces the running config with the file at `from` on our TFTP server. */
  command(from: { readonly server: string; readonly file: string }): string;
  /** What the device's answer says happened; `errors` are its output lines that report a refusal. */
  outcome(output: string, errors: readonly string[]): ReplaceOutcome;
  /** How many passes the device needed, when it says (kept in the step's data). */
  passes?(output: string): number | undefined;
  /** The last line of a complete config, which the device needs to replace with it (checked before contact). */
  readonly lastLine?: string;
}

/**
 * The device cannot install a startup-config while it runs (Nexus 7000, device-reference §4.3-§4.6):
 * the file is staged on flash with `copyFromTftp(from, FLASH+FILE)`, its size (and MD5 where the
 * release has it) checked, the running config backed up, the console line opened, the config
 * erased (`erase`) and the device reloaded (`reload`); on the console the `bootDialogs` are
 * answered, `firstBootUser` logs in, the staged file is applied and saved (`save`) and read back.
 */
export interface RebuildOnConsole {
  readonly kind: 'rebuild-on-console';
  /** The file system the file is staged on, as the device names it (`bootflash:`). */
  readonly flash: string;
  /** The VRF the device reaches our TFTP server through, when the platform's copy takes one. */
  readonly vrf?: string;
  /** Lists the flash; `size` reads a file's size in bytes from the listing (undefined: not listed). */
  readonly listFlash: { readonly command: string; size(listing: string, file: string): number | undefined };
  /** The command that prints a file's MD5; a release that refuses it leaves the size check alone. */
  md5?(path: string): string;
  /** The command that merges a staged file into the running config. */
  apply(path: string): string;
  /** Output that says a copy onto flash or into the running config finished (stage, apply). */
  readonly copyDone: RegExp;
  /** Output that says `save` finished writing the startup-config (NX-OS says "Copy complete" twice). */
  readonly saveDone: RegExp;
  /** The account the first boot's setup dialog creates; the console login after the reload uses it. */
  readonly firstBootUser: string;
}
