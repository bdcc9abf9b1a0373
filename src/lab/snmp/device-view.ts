/**
 * What the SNMP agent needs from a simulated device. The device implements it; the agent reads it at
 * request time, so a change on the device (a new serial, a reload resetting sysUpTime) shows at once.
 */

/** SNMPv2-MIB system group (device-reference.md §7.2). */
export interface SystemInfo {
  readonly descr: string;
  /** sysObjectID as a dotted OID, e.g. `1.3.6.1.4.1.9.1.927`. */
  readonly objectId: string;
  /** sysUpTime in hundredths of a second; restarts at 0 after a reload. */
  readonly upTimeTicks: number;
  readonly contact: string;
  readonly name: string;
  readonly location: string;
  readonly services: number;
}

/** One row of ENTITY-MIB entPhysicalTable (device-reference.md §7.1). */
export interface EntityRow {
  /** entPhysicalIndex, 1..2147483647. */
  readonly index: number;
  readonly descr: string;
  /** entPhysicalVendorType as a dotted OID (`0.0` when unknown). */
  readonly vendorType: string;
  /** Index of the parent, 0 for the top-level item. */
  readonly containedIn: number;
  /** PhysicalClass: other 1, unknown 2, chassis 3, backplane 4, container 5, powerSupply 6, fan 7, sensor 8, module 9, port 10, stack 11, cpu 12. */
  readonly class: number;
  /** Slot or position among siblings, -1 when unknown. */
  readonly parentRelPos: number;
  readonly name: string;
  readonly hardwareRev: string;
  readonly firmwareRev: string;
  readonly softwareRev: string;
  readonly serialNum: string;
  readonly mfgName: string;
  readonly modelName: string;
  readonly alias: string;
  readonly assetId: string;
  readonly isFru: boolean;
}

/** CISCO-CONFIG-COPY-MIB ConfigFileType, by name. */
export type ConfigFileType =
  'networkFile' | 'iosFile' | 'startupConfig' | 'runningConfig' | 'terminal' | 'fabricStartupConfig';

/** ccCopyFailCause, by name (device-reference.md §6). */
export type CopyFailCause =
  | 'unknown'
  | 'badFileName'
  | 'timeout'
  | 'noMem'
  | 'noConfig'
  | 'unsupportedProtocol'
  | 'someConfigApplyFailed'
  | 'systemNotReady'
  | 'requestAborted';

/** A copy the agent asks the device to perform once a ccCopyTable row becomes active. */
export interface CopyRequest {
  readonly protocol: 'tftp';
  readonly source: ConfigFileType;
  readonly dest: ConfigFileType;
  /** Present when one side is networkFile (from ccCopyServerAddressRev1/Type or the old .5). */
  readonly server?: { readonly family: 4 | 6; readonly address: string };
  /** ccCopyFileName; present when one side is networkFile. */
  readonly filename?: string;
  /** ccCopyVrfName, when the manager set a non-empty one. */
  readonly vrf?: string;
}

export interface SnmpDeviceView {
  system(): SystemInfo;
  entities(): readonly EntityRow[];
  /**
   * Performs the copy. Resolves on success; rejects with an error carrying `failCause` (a
   * CopyFailCause name, on the error itself or in a NetopsError's `details`); any other rejection
   * reads as unknown(1). Build such errors with `copyFailure()`.
   */
  copyConfig(request: CopyRequest): Promise<void>;
}

/** An error a device's copyConfig rejects with, naming the ccCopyFailCause the agent reports. */
export function copyFailure(failCause: CopyFailCause, message: string): Error & { failCause: CopyFailCause } {
  return Object.assign(new Error(message), { failCause });
}
