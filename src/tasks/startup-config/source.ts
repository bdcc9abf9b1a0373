/**
 * The config a host is to get: a file read as is, or a LiquidJS template filled with the host's
 * inventory values. Variables are strict, so a value missing for one host is an error that names
 * the variable, the template line and the host, never an empty spot in a router's config.
 * Synchronous, so `--plan` and `netops render` can use it without touching the network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as LiquidJs from 'liquidjs';
import type { Host, SecretRef } from '../../config/model.js';
import { NetopsError } from '../../core/errors.js';
import type { StartupConfigParams } from './params.js';

export interface RenderedConfig {
  readonly text: string;
  /** The file or template it came from, as the job names it. */
  readonly source: string;
  /** The file or template as read, before rendering: line numbers in messages refer to it. */
  readonly raw: string;
}

/** What a template sees for one host. */
export interface TemplateValues {
  readonly host: { name: string; address: string; platform: string | undefined; groups: readonly string[] };
  readonly data: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, string>>;
}

/** How a secret shows where it must not be revealed (plans, `netops render`). */
export const secretPlaceholder = (name: string) => `<secret:${name}>`;

interface TemplateEngine {
  readonly lib: typeof LiquidJs;
  readonly engine: LiquidJs.Liquid;
}

let liquid: TemplateEngine | undefined;

/**
 * LiquidJS, loaded on the first template rather than at start-up (it is among the largest packages
 * netops loads, and most jobs and every plan without a template never need it); required, not
 * imported, so rendering stays synchronous.
 */
function liquidjs(): TemplateEngine {
  if (!liquid) {
    const lib = createRequire(import.meta.url)('liquidjs') as typeof LiquidJs;
    liquid = { lib, engine: new lib.Liquid({ strictVariables: true, strictFilters: true, cache: false }) };
  }
  return liquid;
}

export function sourceName(params: Pick<StartupConfigParams, 'file' | 'template'>): string {
  return (params.template ?? params.file) as string;
}

/**
 * Renders the host's config. `secrets` maps each template secret to its value; without it every
 * secret renders as its placeholder.
 */
export function renderConfig(
  host: Host,
  params: Pick<StartupConfigParams, 'file' | 'template' | 'vars' | 'secrets'>,
  jobDir: string,
  secrets?: Readonly<Record<string, string>>,
): RenderedConfig {
  const source = sourceName(params);
  const text = readSource(host, path.resolve(jobDir, source), source);
  if (params.file !== undefined) return { text: endWithNewline(text), source, raw: text };
  const values: TemplateValues = {
    host: { name: host.name, address: host.address, platform: host.platform, groups: host.groups },
    data: host.data,
    vars: params.vars,
    secrets:
      secrets ??
      Object.fromEntries(Object.keys(params.secrets).map((name) => [name, secretPlaceholder(name)])),
  };
  try {
    return {
      text: endWithNewline(liquidjs().engine.parseAndRenderSync(text, values) as string),
      source,
      raw: text,
    };
  } catch (error) {
    throw templateError(host, source, error);
  }
}

/** Resolves the step's template secrets through the run's secret reader. */
export async function resolveTemplateSecrets(
  params: Pick<StartupConfigParams, 'secrets'>,
  read: (ref: SecretRef) => Promise<string>,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(params.secrets).map(async ([name, ref]) => [name, await read(toSecretRef(ref))] as const),
  );
  return Object.fromEntries(entries);
}

/** The params' secret shape (a plain string is a literal) as the model's SecretRef. */
export function toSecretRef(ref: string | { env: string } | { file: string }): SecretRef {
  return typeof ref === 'string' ? { value: ref } : ref;
}

function readSource(host: Host, file: string, source: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new NetopsError('CONFIG_UNREADABLE', `cannot read ${source} (${(error as Error).message})`, {
      hint: '`file` and `template` are relative to the job file; check the path and its permissions.',
      host: host.name,
    });
  }
}

function endWithNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function templateError(host: Host, source: string, error: unknown): NetopsError {
  const { UndefinedVariableError, LiquidError } = liquidjs().lib;
  if (error instanceof UndefinedVariableError) {
    const variable = error.token.getText().trim();
    const where = /line:\d+, col:\d+/.exec(error.message)?.[0] ?? '';
    const top = variable.split('.')[0];
    const fix =
      top === 'data'
        ? `Add ${variable.slice(5)} to the \`data\` of ${host.name} (or one of its groups, or defaults) in the inventory`
        : top === 'vars'
          ? `Add ${variable.slice(5)} to the step's \`vars\``
          : top === 'secrets'
            ? `Add ${variable.slice(8)} to the step's \`secrets\` (a reference such as { env: NAME })`
            : 'Use host.*, data.*, vars.* or secrets.*';
    return new NetopsError(
      'CONFIG_INVALID',
      `${source} (${where}): variable "${variable}" is not defined for host ${host.name}`,
      { hint: `${fix}, or guard it with {% if %} in the template.`, host: host.name, details: { variable } },
    );
  }
  const message = error instanceof LiquidError ? error.message : String(error);
  return new NetopsError('CONFIG_INVALID', `${source}: ${message} (rendering for ${host.name})`, {
    hint: 'Fix the template syntax (LiquidJS: {{ value }}, {% if %}...{% endif %}, {% for %}...{% endfor %}).',
    host: host.name,
  });
}
