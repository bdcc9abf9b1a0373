/**
 * What differs per device OS, as data (scrapli's privilege tables, Oxidized's one-file models).
 * Platform files are object literals that `satisfies PlatformSpec`; session.ts drives any of them.
 */
import type { DialogStep } from '../channel/channel.js';
import type { SysDescrPattern } from '../snmp/sysdescr.js';
import type { ConfigRules } from '../store/rules.js';
import type { CliFacts } from './cli-facts.js';
import type { StartupConfigWorkflow } from './startup-config.js';

export interface PrivilegeLevel {
  readonly name: string;
  /** Matched against the cleaned last line of output. */
  readonly prompt: RegExp;
  /** The level this one is entered from; the privilege graph is built from these links. */
  readonly parent?: string;
  /** Typed at the parent level to enter this one. */
  readonly escalate?: string;
  /** Typed at this level to return to the parent. */
  readonly deescalate?: string;
  /** Entering asks for a secret (IOS `enable`): the question and which credential answers it. */
  readonly auth?: { readonly prompt: RegExp; readonly secret: 'enable' | 'password' };
  /** A prompt containing any of these is not this level (`(config)#` is not `#`). */
  readonly notContains?: readonly string[];
}

export interface LoginPrompts {
  readonly username: RegExp;
  readonly password: RegExp;
  /** Output that means the login was refused. */
  readonly failed: readonly RegExp[];
}

/** A question of a platform's dialog, with how the device prints it for plans. */
export interface PlannedDialogStep extends DialogStep {
  /**
   * The question as the device prints it (`Proceed with reload? [confirm]`), each form where one
   * pattern answers several (`Enter` and `Confirm the password`): `--plan` shows these.
   */
  readonly shows?: string | readonly string[];
}

/** A command with the questions it asks, answered in order. */
export interface CommandDialog {
  readonly command: string;
  readonly steps: readonly PlannedDialogStep[];
}

export interface TftpLocation {
  /** The TFTP server's address literal as the device must use it (IPv6 is bracketed in URLs by the builder). */
  readonly server: string;
  readonly file: string;
  /** NX-OS: the VRF the device reaches the server through. @default 'management' on nxos */
  readonly vrf?: string;
}

/**
 * An exec command that erases, reloads, replaces or disrupts (write erase, reload, delete, copy to
 * startup-config...): it runs only when the job is confirmed (--yes), `--plan` names it, and its
 * questions are answered from `steps` (all optional); any other question is refused.
 */
export interface DestructiveCommand {
  /** Matched against the command as typed, trimmed. */
  readonly pattern: RegExp;
  /** What it does, for the plan and the refusal (`erases the startup-config`). */
  readonly effect: string;
  readonly steps: readonly DialogStep[];
  /** The device drops the session once the last question is answered (reload): the last command of a step. */
  readonly endsSession?: boolean;
}

/** A configuration line that can cut the device off or change what it boots. */
export interface DestructiveConfigLine {
  readonly pattern: RegExp;
  readonly effect: string;
  /**
   * Only inside an `interface` section. Destructive on the host's management interface
   * (`data.managementInterface`, else the platform's); elsewhere, or when that is unknown, flagged in the plan.
   */
  readonly interface?: boolean;
}

/** A boot question whose answer is a secret of the host's credentials (NX-OS admin password setup). */
export interface BootStep extends PlannedDialogStep {
  readonly secret?: 'password';
}

export interface PlatformSpec {
  readonly name: string;
  readonly privileges: readonly PrivilegeLevel[];
  /** Where commands run: `show` commands, copy, save. */
  readonly defaultPrivilege: string;
  /** Where config lines are typed. */
  readonly configPrivilege: string;
  /** Typed once after login at the default level: paging off, wide lines. */
  readonly sessionSetup: readonly string[];
  /** A line of command output matching any of these means the device refused the command. */
  readonly errorMarkers: readonly RegExp[];
  /** Telnet and console login questions. */
  readonly login: LoginPrompts;
  readonly runningConfig: string;
  readonly startupConfig: string;
  readonly save: CommandDialog;
  /** Absent where the OS has no such operation (FRR has no erase, reload or TFTP copy). */
  readonly erase?: CommandDialog;
  readonly reload?: CommandDialog;
  copyToTftp?(to: TftpLocation): CommandDialog;
  /** `destination`: running-config, startup-config, or a file on flash (`bootflash:FILE`). */
  copyFromTftp?(from: TftpLocation, destination: string): CommandDialog;
  /** Questions a console may show after a reload without startup-config (setup, POAP), with their answers. */
  readonly bootDialogs: readonly BootStep[];
  /** Exec commands that need confirmation, with the answers to their questions. */
  readonly destructiveCommands: readonly DestructiveCommand[];
  readonly destructiveConfig: readonly DestructiveConfigLine[];
  /** The interface netops reaches the device through when the inventory names none (NX-OS mgmt0). */
  readonly managementInterface?: string;
  /**
   * A last line matching one of `asks` is the device asking something. A question no known dialog
   * answers is refused with `refuse` and fails the step at once (DIALOG_UNANSWERED) instead of
   * waiting for the step's time limit.
   */
  readonly questions: { readonly asks: readonly RegExp[]; readonly refuse: string };
  /** What the store masks and drops in this platform's configs; without it the platform is not backed up. */
  readonly configRules?: ConfigRules;
  /** How the OS words its sysDescr: collect names the OS with these (the host's own platform's first). */
  readonly sysDescr?: readonly SysDescrPattern[];
  /** Show commands and parsers for collect's `fallback: cli`; absent: collected over SNMP only. */
  readonly cliFacts?: CliFacts;
  /** The SNMP agent implements CISCO-CONFIG-COPY-MIB's ccCopyTable: the `tftp-snmp` backup method applies. */
  readonly snmpConfigCopy?: boolean;
  /** How the platform installs a new startup-config; absent: the startup-config task refuses its hosts. */
  readonly startupConfigWorkflow?: StartupConfigWorkflow;
}

/** `tftp://server/file` with an IPv6 literal in brackets (device-reference §2.2). */
export function tftpUrl(to: TftpLocation): string {
  const host = to.server.includes(':') ? `[${to.server}]` : to.server;
  return `tftp://${host}/${to.file}`;
}
