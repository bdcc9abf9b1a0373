/** The SNMP agent's view of a device (system group, ENTITY rows, copies), built from the device model. */
import { copyFailure, type CopyRequest, type SnmpDeviceView } from '../snmp/device-view.js';
import { snmpValue } from './config-tree.js';
import type { Device } from './device.js';
import { DeviceTftpError, deviceDownload, deviceUpload } from './device-tftp.js';
import { sysDescr } from './hardware.js';
import { nxosShowRunning } from './render.js';

function configText(device: Device): Buffer {
  if (device.platform === 'ios') return Buffer.from(device.body());
  return Buffer.from(
    nxosShowRunning(device.body(), 'show running-config', device.renderContext(), new Date()),
  );
}

async function copy(device: Device, request: CopyRequest): Promise<void> {
  if (device.phase !== 'up') throw copyFailure('systemNotReady', 'the device is booting');
  device.record(
    'snmp',
    'snmp',
    `ccCopy ${request.source} -> ${request.dest}${request.server ? ` ${request.server.address}` : ''} ${request.filename ?? ''}`.trim(),
  );
  const { source, dest } = request;
  if (source === 'runningConfig' && dest === 'startupConfig') return device.saveStartup('snmp');
  if (source === 'startupConfig' && dest === 'runningConfig')
    return device.merge(device.startup ?? '', 'snmp');
  if (!request.server || !request.filename) throw copyFailure('badFileName', 'no server or file name');
  const target = {
    server: request.server.address,
    filename: request.filename,
    ...(request.vrf ? { vrf: request.vrf } : {}),
  };
  try {
    if (dest === 'networkFile') {
      const data = source === 'startupConfig' ? Buffer.from(device.startup ?? '') : configText(device);
      if (source === 'startupConfig' && device.startup === undefined)
        throw copyFailure('noConfig', 'startup-config is empty');
      await deviceUpload(device, target, data);
      return;
    }
    const data = await deviceDownload(device, target);
    if (dest === 'runningConfig') device.merge(data.toString('latin1'), 'snmp');
    else device.setStartup(data.toString('latin1'));
  } catch (error) {
    if (error instanceof DeviceTftpError) {
      throw copyFailure(error.reason === 'Timed out' ? 'timeout' : 'badFileName', error.message);
    }
    throw error;
  }
}

export function snmpView(device: Device): SnmpDeviceView {
  return {
    system: () => ({
      descr: sysDescr(device.platform, device.hardware.version),
      objectId: device.hardware.version.sysObjectId,
      upTimeTicks: Math.floor(device.uptimeMs / 10),
      contact: snmpValue(device.running, 'contact'),
      name: device.hostname,
      location: snmpValue(device.running, 'location'),
      services: device.platform === 'ios' ? 78 : 70,
    }),
    entities: () =>
      device.hardware.entities.map((e) => ({
        index: e.index,
        descr: e.descr,
        vendorType: e.vendorType,
        containedIn: e.containedIn,
        class: e.class,
        parentRelPos: e.parentRelPos,
        name: e.name,
        hardwareRev: e.vid,
        firmwareRev: e.firmwareRev,
        softwareRev: e.softwareRev,
        serialNum: e.serial,
        mfgName: 'Cisco Systems, Inc.',
        modelName: e.pid,
        alias: '',
        assetId: '',
        isFru: e.isFru,
      })),
    copyConfig: (request) => copy(device, request),
  };
}
