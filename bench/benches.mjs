// Every bench the harness runs, by the name given to `npm run bench -- NAME`. A bench module exports
// `about` ({ title, baseline, params, defaults, smoke }) and `run(params)` returning { rows, notes };
// see docs/performance.md, "Adding a bench".
export const benches = {
  startup: () => import('./startup/bench.mjs'),
  plan: () => import('./plan/bench.mjs'),
  backup: () => import('./backup/bench.mjs'),
  inventory: () => import('./inventory/bench.mjs'),
  sanitize: () => import('./sanitize/bench.mjs'),
  personas: () => import('./cli-session/personas.mjs'),
  tftp: () => import('./tftp/bench.mjs'),
  netmiko: () => import('./peers/netmiko.mjs'),
  rancid: () => import('./peers/rancid.mjs'),
  ansible: () => import('./peers/ansible.mjs'),
  collect: () => import('./collect/bench.mjs'),
  'store-history': () => import('./store-history/bench.mjs'),
  queue: () => import('./queue/bench.mjs'),
  store: () => import('./store/bench.mjs'),
  container: () => import('./container/bench.mjs'),
};
