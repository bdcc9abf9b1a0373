// The inventory a bench gives netops for a loopback lab: one host per device on 127.0.0.1 (the lab's
// `-v6` twins left out, so every device is backed up once), secrets from the lab's environment.
import { parse, stringify } from 'yaml';
import { labInventory } from '../../dist/lab/lab-inventory.js';

export function ipv4LabInventory(lab) {
  const inventory = parse(labInventory(lab));
  inventory.hosts = Object.fromEntries(
    Object.entries(inventory.hosts).filter(([name]) => !name.endsWith('-v6')),
  );
  return stringify(inventory);
}
