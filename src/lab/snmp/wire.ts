/**
 * The SNMP wire layer, borrowed from net-snmp's Agent: BER decoding and encoding, community checks,
 * SNMPv3 USM (engine discovery reports, SHA/AES and friends) and RFC 2089 v1 error mapping.
 * net-snmp's MIB and request handling are NOT used (see docs/lab-snmp.md for why): its four request
 * entry points are replaced on the instance by one function that answers from our own MIB.
 *
 * Sockets are ours too, so that port 0 gives an ephemeral port (net-snmp turns 0 into 161) and
 * faults can hold back packets before anything is decoded. net-snmp gets an inert dgram module.
 * The internals touched here (onMsg, sendResponse, the *Request methods, message.pdu) are listed in
 * the interfaces below; a net-snmp upgrade must keep them.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { createRequire } from 'node:module';
import type { AgentRequest, AgentResponse, RequestKind, WireVarbind } from './responder.js';

export interface SnmpV3User {
  readonly name: string;
  readonly level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  /** @default 'sha' when the level authenticates */
  readonly authProtocol?: 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
  readonly authKey?: string;
  /** @default 'aes' for authPriv */
  readonly privProtocol?: 'des' | 'aes' | 'aes256b' | 'aes256r';
  readonly privKey?: string;
}

interface NetSnmpPdu {
  readonly varbinds: WireVarbind[];
  readonly nonRepeaters?: number;
  readonly maxRepetitions?: number;
  getResponsePduForRequest(): { varbinds: WireVarbind[]; errorStatus?: number; errorIndex?: number };
}

interface NetSnmpMessage {
  readonly version: number;
  readonly community?: string;
  readonly user?: { readonly name: string };
  readonly pdu: NetSnmpPdu;
}

type RequestHook = (socket: Socket, message: NetSnmpMessage, rinfo: RemoteInfo) => void;

interface NetSnmpReportable {
  createReportResponseMessage(engine: object, context: string, usmErrorType: string): object;
}

/** net-snmp's Listener class, reached through the agent's listener instance. */
interface NetSnmpListenerClass {
  processIncoming(
    buffer: Buffer,
    authorizer: object,
    callback: () => void,
  ): { original?: NetSnmpReportable } | undefined;
}

interface NetSnmpAgent {
  readonly engine: object;
  readonly listener: { send(message: object, rinfo: RemoteInfo, socket: Socket): void };
  getAuthorizer(): { addCommunity(community: string): void; addUser(user: object): void };
  onMsg(socket: Socket, buffer: Buffer, rinfo: RemoteInfo): void;
  sendResponse(socket: Socket, rinfo: RemoteInfo, message: NetSnmpMessage, pdu: object): void;
  getRequest: RequestHook;
  getNextRequest: RequestHook;
  getBulkRequest: RequestHook;
  setRequest: RequestHook;
}

interface NetSnmpModule {
  createAgent(options: object, callback: (error: unknown) => void): NetSnmpAgent;
  readonly SecurityLevel: Record<string, number>;
  readonly AuthProtocols: Record<string, number>;
  readonly PrivProtocols: Record<string, number>;
}

const netSnmp = createRequire(import.meta.url)('net-snmp') as NetSnmpModule;

/** Stands in for node:dgram inside net-snmp: its listener never binds anything. */
const inertDgram = {
  createSocket: () => ({
    on: () => undefined,
    bind: () => undefined,
    close: (done?: () => void) => done?.(),
  }),
};

export interface WireOptions {
  readonly communities: { readonly read: readonly string[]; readonly write: readonly string[] };
  readonly v3Users: readonly SnmpV3User[];
  /** Answers a decoded request; may throw only on a bug (the manager then sees genErr). */
  answer(request: AgentRequest): AgentResponse;
}

/** Returns the function that takes every datagram the agent's sockets receive. */
export function createWire(
  options: WireOptions,
): (socket: Socket, buffer: Buffer, rinfo: RemoteInfo) => void {
  // Errors net-snmp reports here are bad packets, unknown communities and failed v3 security.
  // A real agent drops the first two silently; for the last it sends a USM report (RFC 3414
  // §3.2 steps 6 and 8), which net-snmp's agent does not, so it is added below.
  let usmFailure: string | undefined;
  const agent = netSnmp.createAgent({ dgramModule: inertDgram, port: 161 }, (error: unknown) => {
    usmFailure = usmReportFor((error as { code?: unknown } | null)?.code);
  });
  const authorizer = agent.getAuthorizer();
  const { read, write } = options.communities;
  for (const community of new Set([...read, ...write])) authorizer.addCommunity(community);
  for (const user of options.v3Users) authorizer.addUser(toNetSnmpUser(user));
  const writers = new Set(write);
  const users = new Set(options.v3Users.map((u) => u.name));

  const hook =
    (kind: RequestKind): RequestHook =>
    (socket, message, rinfo) => {
      // net-snmp lets an empty v3 user name through as noAuthNoPriv; only configured users get answers.
      if (message.version === 3 && !users.has(message.user?.name ?? '')) return;
      const pdu = message.pdu;
      const request: AgentRequest = {
        kind,
        varbinds: pdu.varbinds,
        nonRepeaters: pdu.nonRepeaters ?? 0,
        maxRepetitions: pdu.maxRepetitions ?? 0,
        version: message.version,
        canWrite: message.version === 3 || writers.has(message.community ?? ''),
      };
      const send = (response: AgentResponse) => {
        const responsePdu = pdu.getResponsePduForRequest();
        responsePdu.varbinds = response.varbinds;
        responsePdu.errorStatus = response.errorStatus;
        responsePdu.errorIndex = response.errorIndex;
        agent.sendResponse(socket, rinfo, message, responsePdu);
      };
      try {
        send(options.answer(request));
      } catch {
        // A bug in answering or encoding: the manager sees genErr rather than a crashed lab.
        send({ errorStatus: 5, errorIndex: 1, varbinds: pdu.varbinds });
      }
    };
  agent.getRequest = hook('get');
  agent.getNextRequest = hook('getNext');
  agent.getBulkRequest = hook('getBulk');
  agent.setRequest = hook('set');
  return (socket, buffer, rinfo) => {
    usmFailure = undefined;
    agent.onMsg(socket, buffer, rinfo);
    if (usmFailure) sendUsmReport(agent, usmFailure, socket, buffer, rinfo);
  };
}

/** net-snmp's ResponseInvalidCode for a bad digest and an undecryptable PDU -> usmStats counter. */
function usmReportFor(code: unknown): string | undefined {
  if (code === 5) return usmStatsWrongDigests;
  if (code === 4) return usmStatsDecryptionErrors;
  return undefined;
}
const usmStatsWrongDigests = '5';
const usmStatsDecryptionErrors = '6';

/**
 * Answers a v3 request that failed authentication or decryption with a report, so the manager
 * says "authentication failure" instead of timing out. The request is re-read as if from an
 * unknown user, the one path where net-snmp hands back the parsed message without checking keys.
 */
function sendUsmReport(
  agent: NetSnmpAgent,
  usmErrorType: string,
  socket: Socket,
  buffer: Buffer,
  rinfo: RemoteInfo,
): void {
  const listenerClass = (agent.listener as { constructor: unknown }).constructor as NetSnmpListenerClass;
  const noUsers = { users: [], communities: [], disableAuthorization: false };
  try {
    const original = listenerClass.processIncoming(buffer, noUsers, () => undefined)?.original;
    if (original)
      agent.listener.send(
        original.createReportResponseMessage(agent.engine, '', usmErrorType),
        rinfo,
        socket,
      );
  } catch {
    // Not a reportable v3 message after all: drop it, as for any other bad packet.
  }
}

function toNetSnmpUser(user: SnmpV3User): object {
  const auth = user.level !== 'noAuthNoPriv';
  const priv = user.level === 'authPriv';
  return {
    name: user.name,
    level: netSnmp.SecurityLevel[user.level],
    ...(auth
      ? { authProtocol: netSnmp.AuthProtocols[user.authProtocol ?? 'sha'], authKey: user.authKey }
      : {}),
    ...(priv
      ? { privProtocol: netSnmp.PrivProtocols[user.privProtocol ?? 'aes'], privKey: user.privKey }
      : {}),
  };
}
