/** worker-process.mjs: one `netops worker` process of the built CLI, started and ended by PID. */
export interface WorkerProcessOptions {
  readonly name: string;
  readonly queue: string;
  readonly site: string;
  /** Run it in this network namespace (a site's management namespace). */
  readonly namespace?: string | undefined;
  readonly concurrency: number;
  /** @default 30000 (netops' own default) */
  readonly stalledMs?: number;
  readonly placeholderKey?: string;
  readonly tftpListen?: readonly string[];
  /** More --queue-* flags, e.g. ['--queue-ca', FILE] for a rediss:// server. */
  readonly queueFlags?: readonly string[];
  /** Added to this process's environment: its state dir, the secrets it resolves. */
  readonly env: Readonly<Record<string, string>>;
}

export interface WorkerProcess {
  readonly name: string;
  readonly pid: number;
  /** What it printed on stderr so far. */
  log(): string;
  /** Resolves with its exit once it has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (finish the hosts in hand, then exit), SIGKILL after 30 s. */
  stop(): Promise<void>;
}

export function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess>;
