/**
 * What only the console sees: the reload and boot log, and the first-boot dialogs of a device with
 * no startup-config (device-reference.md §3 IOS System Configuration Dialog, §4.6 NX-OS POAP abort,
 * admin password and basic configuration dialogs).
 */
import type { Device } from '../device/device.js';
import { hashSecret } from '../device/secrets.js';
import { setTop } from '../device/config-tree.js';
import type { Terminal } from '../cli/terminal.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Prints the boot log over the boot time, returning once the device is up. */
export async function bootLog(device: Device, term: Terminal): Promise<void> {
  const ios = device.platform === 'ios';
  const lines = ios
    ? [
        '',
        'System Bootstrap, Version 15.0(1r)M16, RELEASE SOFTWARE (fc1)',
        'Copyright (c) 2012 by cisco Systems, Inc.',
        '',
        'Total memory size = 512 MB - On-board = 512 MB, DIMM0 = 0 MB',
        `${device.hardware.version.model} platform with 524288 Kbytes of main memory`,
        '',
        `Readonly ROMMON initialized`,
        `program load complete, entry point: 0x80803000, size: 0x1b340`,
        '',
        `IOS Image Load Test`,
        '___________________',
        `Digitally Signed Release Software`,
        `program load complete, entry point: 0x81000000, size: 0x5b9b2b8`,
        `Self decompressing the image : ################################################################## [OK]`,
      ]
    : [
        '',
        'Loader Version 2.12',
        '',
        `Booting kickstart image: ${device.hardware.version.imageFile.replace('s2-dk9', 's2-kickstart')}`,
        '...............................................................Image verification OK',
        '',
        'INIT: version 2',
        'Loading system software',
        `Uncompressing system image: ${device.hardware.version.imageFile}`,
        'System is coming up ... Please wait ...',
      ];
  const step = Math.max(1, Math.floor(device.bootMs / (lines.length + 1)));
  for (const line of lines) {
    await term.print(`${line}\n`);
    if (device.phase === 'booting') await sleep(step);
  }
  if (device.phase === 'booting') await new Promise((resolve) => device.once('booted', resolve));
  if (ios) await term.print(`\n${showHardwareSummary(device)}\n`);
}

function showHardwareSummary(device: Device): string {
  const v = device.hardware.version;
  return `Cisco IOS Software, C2900 Software (${v.image}), Version ${v.version}, RELEASE SOFTWARE (fc2)\nCisco ${v.model} (revision 1.0) with 483328K/40960K bytes of memory.\nProcessor board ID ${v.processorBoardId}\n255K bytes of non-volatile configuration memory.`;
}

async function askLine(term: Terminal, question: string): Promise<string> {
  await term.print(question);
  return (await term.readLine()).trim();
}

/** IOS with no startup-config: the setup dialog and autoinstall questions; `no` skips setup. */
export async function iosSetupDialog(term: Terminal): Promise<void> {
  await term.print('\n         --- System Configuration Dialog ---\n\n');
  for (;;) {
    const answer = (
      await askLine(term, 'Would you like to enter the initial configuration dialog? [yes/no]: ')
    ).toLowerCase();
    if (answer === 'no' || answer === 'n') break;
    if (answer === 'yes' || answer === 'y') {
      await term.print('\nThe initial configuration dialog is not simulated; answering no.\n');
      break;
    }
    await term.print("% Please answer 'yes' or 'no'.\n");
  }
  await askLine(term, '\nWould you like to terminate autoinstall? [yes]: ');
  await term.print('\n\nPress RETURN to get started!\n\n\n');
}

/**
 * NX-OS with no startup-config: POAP abort (a bare CR or `no` repeats it), admin password setup
 * (the password becomes `username admin`), then the basic configuration dialog (`no` skips).
 */
export async function nxosSetupDialog(device: Device, term: Terminal): Promise<void> {
  for (;;) {
    const answer = (
      await askLine(
        term,
        `${new Date().toISOString().slice(0, 19).replace('T', ' ')} switch %$ VDC-1 %$ %POAP-2-POAP_INFO: - Abort Power On Auto Provisioning [yes - continue with normal setup, skip - bypass password and basic configuration, no - continue with Power On Auto Provisioning] (yes/skip/no)[no]: `,
      )
    ).toLowerCase();
    if (answer === 'skip') {
      await term.print(
        '!!! NOTE: You have selected skip option. Password and basic configuration setup will be skipped. !!!\n',
      );
      setTop(device.running, 'username admin password 0   role network-admin');
      return;
    }
    if (answer === 'yes' || answer === 'y') break;
  }
  await term.print('\nDisabling POAP...\n         ---- System Admin Account Setup ----\n\n');
  await askLine(term, 'Do you want to enforce secure password standard (yes/no) [y]: ');
  let password = '';
  for (;;) {
    await term.print('\n  Enter the password for "admin": ');
    password = await term.readLine({ echo: false });
    await term.print('\n  Confirm the password for "admin": ');
    const again = await term.readLine({ echo: false });
    if (password !== '' && password === again) break;
    await term.print('\n  Passwords do not match or are empty; please try again.\n');
  }
  setTop(
    device.running,
    `username admin password 5 ${hashSecret(password, '$5$', Date.now())}  role network-admin`,
  );
  await term.print('\n         ---- Basic System Configuration Dialog VDC: 1 ----\n\n');
  await askLine(term, ' Would you like to enter the basic configuration dialog (yes/no): ');
  await term.print('\n');
}
