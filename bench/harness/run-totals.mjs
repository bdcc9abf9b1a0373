// A bench's run totals for the store's commit (`GitStore#close`): a run of job `bench` started at
// `startedAt` over `hosts` hosts, `changed` of them changed, none failed; its run id names the start.
export function benchRunTotals(startedAt, hosts, changed) {
  return {
    runId: `${startedAt.replace(/[:.]/g, '-')}-bench`,
    job: 'bench',
    startedAt,
    counts: { ok: hosts - changed, changed, failed: 0, skipped: 0 },
    failedHosts: [],
    aborted: false,
  };
}
