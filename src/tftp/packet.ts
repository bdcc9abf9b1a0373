/**
 * TFTP packets (RFC 1350, OACK from RFC 2347): one tagged union and a strict decoder. The decoder
 * throws `MalformedPacket` with a reason fit for an ERROR 4 message, so a fuzzed packet is answered
 * or dropped by the caller, never half-understood.
 */

export const TFTP_ERROR = {
  NOT_DEFINED: 0,
  FILE_NOT_FOUND: 1,
  ACCESS_VIOLATION: 2,
  DISK_FULL: 3,
  ILLEGAL_OPERATION: 4,
  UNKNOWN_TID: 5,
  FILE_EXISTS: 6,
  NO_SUCH_USER: 7,
  OPTION_REFUSED: 8,
} as const;

export type RequestOp = 'RRQ' | 'WRQ';

export type Packet =
  | {
      readonly op: RequestOp;
      readonly filename: string;
      /** Lower case, as the mode is case-insensitive. */
      readonly mode: string;
      /** Option names lower-cased, in the order sent. */
      readonly options: ReadonlyMap<string, string>;
    }
  | { readonly op: 'DATA'; readonly block: number; readonly data: Buffer }
  | { readonly op: 'ACK'; readonly block: number }
  | { readonly op: 'ERROR'; readonly code: number; readonly message: string }
  | { readonly op: 'OACK'; readonly options: ReadonlyMap<string, string> };

export class MalformedPacket extends Error {
  override readonly name = 'MalformedPacket';
}

const opcodes = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;
/** RFC 2347: a request with its options must fit in 512 bytes. */
const maxRequestBytes = 512;
/** Longest file name accepted: NAME_MAX-sized paths are plenty for config files. */
export const MAX_FILENAME_BYTES = 255;

/** Splits NUL-terminated strings; the packet must end with a NUL. */
function nulStrings(body: Buffer): string[] {
  if (body.length === 0 || body[body.length - 1] !== 0) {
    throw new MalformedPacket('request strings must end with a NUL byte');
  }
  // latin1 keeps every byte of a file name as one character, so nothing is lost or reinterpreted.
  return body.subarray(0, -1).toString('latin1').split('\0');
}

function decodeOptions(pairs: string[]): Map<string, string> {
  if (pairs.length % 2 !== 0) throw new MalformedPacket('option without a value');
  const options = new Map<string, string>();
  for (let i = 0; i < pairs.length; i += 2) {
    const name = (pairs[i] ?? '').toLowerCase();
    if (name === '') throw new MalformedPacket('empty option name');
    if (options.has(name)) throw new MalformedPacket(`option "${name}" given twice`);
    options.set(name, pairs[i + 1] ?? '');
  }
  return options;
}

function decodeRequest(op: RequestOp, packet: Buffer): Packet {
  if (packet.length > maxRequestBytes) {
    throw new MalformedPacket(`request of ${packet.length} bytes exceeds ${maxRequestBytes}`);
  }
  const [filename = '', mode = '', ...pairs] = nulStrings(packet.subarray(2));
  if (filename === '') throw new MalformedPacket('empty file name');
  if (filename.length > MAX_FILENAME_BYTES) {
    throw new MalformedPacket(`file name of ${filename.length} bytes exceeds ${MAX_FILENAME_BYTES}`);
  }
  const lowerMode = mode.toLowerCase();
  if (lowerMode !== 'octet' && lowerMode !== 'netascii') {
    throw new MalformedPacket(`unsupported transfer mode "${mode}"`);
  }
  return { op, filename, mode: lowerMode, options: decodeOptions(pairs) };
}

export function decodePacket(packet: Buffer): Packet {
  if (packet.length < 4) throw new MalformedPacket(`packet of ${packet.length} bytes is too short`);
  const opcode = packet.readUInt16BE(0);
  switch (opcode) {
    case opcodes.RRQ:
      return decodeRequest('RRQ', packet);
    case opcodes.WRQ:
      return decodeRequest('WRQ', packet);
    case opcodes.DATA:
      return { op: 'DATA', block: packet.readUInt16BE(2), data: packet.subarray(4) };
    case opcodes.ACK:
      if (packet.length !== 4) throw new MalformedPacket('ACK must be 4 bytes');
      return { op: 'ACK', block: packet.readUInt16BE(2) };
    case opcodes.ERROR: {
      const body = packet.subarray(4);
      const end = body.indexOf(0);
      // Peers that forget the NUL still told us they failed; keep their text.
      const message = (end < 0 ? body : body.subarray(0, end)).toString('utf8');
      return { op: 'ERROR', code: packet.readUInt16BE(2), message };
    }
    case opcodes.OACK:
      return { op: 'OACK', options: decodeOptions(nulStrings(packet.subarray(2))) };
    default:
      throw new MalformedPacket(`unknown opcode ${opcode}`);
  }
}

function withOpcode(op: keyof typeof opcodes, body: Buffer): Buffer {
  const head = Buffer.allocUnsafe(2);
  head.writeUInt16BE(opcodes[op]);
  return Buffer.concat([head, body]);
}

function nulTerminated(strings: string[]): Buffer {
  return Buffer.from(strings.map((s) => `${s}\0`).join(''), 'latin1');
}

function optionStrings(options: ReadonlyMap<string, string>): string[] {
  return [...options].flat();
}

export function encodeRequest(
  op: RequestOp,
  filename: string,
  mode: string,
  options: ReadonlyMap<string, string> = new Map(),
): Buffer {
  return withOpcode(op, nulTerminated([filename, mode, ...optionStrings(options)]));
}

/** The 4 bytes before a DATA block's payload: sent with the payload as one datagram, no copy made. */
export function encodeDataHeader(block: number): Buffer {
  const header = Buffer.allocUnsafe(4);
  header.writeUInt16BE(opcodes.DATA, 0);
  header.writeUInt16BE(block & 0xffff, 2);
  return header;
}

export function encodeData(block: number, data: Buffer): Buffer {
  return Buffer.concat([encodeDataHeader(block), data]);
}

/**
 * ACKs of the first block numbers, each built once and shared: a lock-step upload sends one ACK per
 * block, and nothing writes to a packet once it is built (a send may still hold it). 4096 covers a
 * 2 MB file in blocks of 512 (a few hundred KiB at most, once built).
 */
const SHARED_ACKS = 4096;
const sharedAcks: Buffer[] = [];

function buildAck(block: number): Buffer {
  const packet = Buffer.allocUnsafe(4);
  packet.writeUInt16BE(opcodes.ACK, 0);
  packet.writeUInt16BE(block, 2);
  return packet;
}

/** The ACK of `block` (its low 16 bits); the same Buffer each time for low block numbers: never write to it. */
export function encodeAck(block: number): Buffer {
  const wire = block & 0xffff;
  if (wire >= SHARED_ACKS) return buildAck(wire);
  return (sharedAcks[wire] ??= buildAck(wire));
}

export function encodeError(code: number, message: string): Buffer {
  const head = Buffer.allocUnsafe(2);
  head.writeUInt16BE(code);
  return withOpcode('ERROR', Buffer.concat([head, Buffer.from(`${message}\0`, 'utf8')]));
}

export function encodeOack(options: ReadonlyMap<string, string>): Buffer {
  return withOpcode('OACK', nulTerminated(optionStrings(options)));
}
