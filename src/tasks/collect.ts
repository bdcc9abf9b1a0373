/**
 * `collect`: inventory facts of one host over SNMP (the system group, the OS and version parsed from
 * sysDescr, every ENTITY-MIB physical entity with its containment) stored as `facts/HOST.json`,
 * with a change note such as `r1: module 2 serial FOC1234 -> FOC9876` when something moved.
 */
import { z } from 'zod';
import { defineTask, type TaskContext } from './task.js';
import { NetopsError } from '../core/errors.js';
import { entityClasses, parseFacts, serializeFacts, type DeviceFacts } from '../facts/device-facts.js';
import { changeNote, diffFacts } from '../facts/fact-diff.js';
import { factsPath } from '../store/paths.js';
import { buildFacts, type DeviceReading } from './collect/build-facts.js';
import { cliFactsOf, readOverCli } from './collect/cli-facts.js';
import { jobStore } from './resources/job-store.js';
import type { GitStore } from '../store/git-store.js';
import type { Host } from '../config/model.js';
import { jobReportSchema, requestJobReport } from './collect/job-report.js';

const params = z.strictObject({
  /** GETBULK max-repetitions for the ENTITY-MIB walk; lower it for agents that answer tooBig. */
  maxRepetitions: z.int().min(1).max(200).default(25),
  /** Time-out of one SNMP request, in milliseconds. */
  timeout: z.int().min(50).max(60_000).default(2_000),
  /** Resends of a request that timed out. */
  retries: z.int().min(0).max(10).default(1),
  /** Keep only these entity classes (others are dropped; kept ones attach to their nearest kept ancestor). */
  classes: z.array(z.enum(entityClasses)).min(1).optional(),
  /** `cli`: when SNMP is not configured or fails, read `show version` and `show inventory` instead. */
  fallback: z.enum(['cli', 'none']).default('none'),
  /** An inventory report written from the store when the run ends (see docs/reports.md). */
  report: jobReportSchema.optional(),
});

type Params = z.infer<typeof params>;

export const collect = defineTask({
  name: 'collect',
  summary: 'collect system group, OS version and ENTITY-MIB inventory over SNMP into facts/HOST.json',
  params,
  plan: (host, p) => {
    const how = host.snmp
      ? `SNMPv${host.snmp.version} udp/${host.snmp.port}`
      : 'SNMP (no snmp settings: will fail)';
    const classes = p.classes ? ` (classes ${p.classes.join(', ')})` : '';
    return [
      `read system group and entPhysicalTable of ${host.address} over ${how}, max-repetitions ${p.maxRepetitions}${classes}`,
      `store ${factsPath(host.name)}`,
      ...(p.report
        ? [`write the ${p.report.format} inventory report to ${p.report.out} when the run ends`]
        : []),
      ...(p.fallback === 'cli' ? [cliFallbackPlan(host)] : []),
    ];
  },
  async run(ctx, p: Params) {
    const { host } = ctx;
    const { store } = await jobStore(ctx);
    if (p.report) await requestJobReport(ctx, store.dir, p.report);
    const { reading, snmpFailure } = await readDevice(ctx, p);
    const path = factsPath(host.name);
    const previous = await previousFacts(store, path, host.name);
    const facts = buildFacts({ ...reading, host, classes: p.classes, previous, now: new Date() });
    const changes = diffFacts(previous, facts);
    const note = changeNote(host.name, changes);
    const { changed } = await store.write(path, serializeFacts(facts), note);
    ctx.log('facts collected', { entities: facts.entities.length, changed });
    return {
      status: changed ? 'changed' : 'ok',
      summary:
        summary(facts, changed ? changes : []) + (snmpFailure ? ` (over the CLI: ${snmpFailure.code})` : ''),
      data: {
        os: facts.os,
        entities: facts.entities.length,
        source: reading.source,
        ...(reading.system.upTimeTicks === undefined ? {} : { upTimeTicks: reading.system.upTimeTicks }),
        ...(snmpFailure ? { snmpFailure: snmpFailure.toJSON() } : {}),
        changes: changed ? changes : [],
      },
    };
  },
});

function cliFallbackPlan(host: Host): string {
  const reader = host.platform === undefined ? undefined : cliFactsOf(host);
  if (!reader)
    return `if SNMP fails: the step fails (platform ${host.platform ?? 'unset'} reads no inventory over the CLI)`;
  return `if SNMP fails: ${reader.version.command} and ${reader.inventory.command} over ${host.transport}`;
}

const snmpFailures: ReadonlySet<string> = new Set(['SNMP_TIMEOUT', 'SNMP_AUTH', 'SNMP_ERROR']);

/** SNMP first; with `fallback: cli`, the CLI when SNMP is not configured or does not answer. */
async function readDevice(
  ctx: TaskContext,
  p: Params,
): Promise<{ reading: DeviceReading; snmpFailure?: NetopsError }> {
  try {
    const { readOverSnmp } = await import('./collect/snmp-reading.js');
    return { reading: await readOverSnmp(ctx, p) };
  } catch (error) {
    if (p.fallback !== 'cli' || !(error instanceof NetopsError) || !snmpFailures.has(error.code)) throw error;
    ctx.log('SNMP failed, reading the inventory over the CLI', { code: error.code, message: error.message });
    const cli = await readOverCli(ctx);
    const system = {
      descr: cli.descr,
      objectId: '',
      name: cli.hostname,
      location: '',
      contact: '',
      upTimeTicks: cli.upTimeTicks,
    };
    return { reading: { source: 'cli', system, os: cli.os, entities: cli.entities }, snmpFailure: error };
  }
}

function summary(facts: DeviceFacts, changes: readonly string[]): string {
  const chassis = facts.entities.find((e) => e.class === 'chassis');
  const head = [
    chassis?.model,
    chassis?.serial,
    [facts.os.name, facts.os.version].filter(Boolean).join(' '),
    `${facts.entities.length} entities`,
  ]
    .filter(Boolean)
    .join(', ');
  return changes.length ? `${head}; ${changes.join('; ')}` : head;
}

/** The stored facts, or undefined; a file that no longer parses stops the step rather than being overwritten blindly. */
async function previousFacts(store: GitStore, path: string, host: string): Promise<DeviceFacts | undefined> {
  const text = await store.read(path);
  if (text === undefined) return undefined;
  try {
    return parseFacts(text);
  } catch (error) {
    throw new NetopsError('STORE_FAILED', `${host}: ${path} in the store is not a valid facts file`, {
      host,
      cause: error,
      hint: `Fix or delete ${path} in the store (git history keeps the old copies), then collect again.`,
    });
  }
}
