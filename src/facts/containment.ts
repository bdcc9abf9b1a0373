/**
 * The containment tree of a device from entPhysicalContainedIn (chassis > slot > module > port),
 * and class filtering that keeps the tree whole by attaching kept entities to their nearest kept
 * ancestor.
 */
import type { EntityClass, PhysicalEntity } from './device-facts.js';

export interface EntityNode {
  readonly entity: PhysicalEntity;
  readonly children: EntityNode[];
}

/** Roots (containedIn 0, or a parent the agent did not list) with children in position order. */
export function containmentTree(entities: readonly PhysicalEntity[]): EntityNode[] {
  const nodes = new Map(entities.map((e) => [e.index, { entity: e, children: [] as EntityNode[] }]));
  const roots: EntityNode[] = [];
  for (const node of nodes.values()) {
    const parent =
      node.entity.containedIn === node.entity.index ? undefined : nodes.get(node.entity.containedIn);
    (parent ? parent.children : roots).push(node);
  }
  const order = (a: EntityNode, b: EntityNode) =>
    a.entity.parentRelPos - b.entity.parentRelPos || a.entity.index - b.entity.index;
  const sort = (list: EntityNode[]) => {
    list.sort(order);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Only entities of `classes`, each re-attached to its nearest ancestor that is kept (0 if none). */
export function selectClasses(
  entities: readonly PhysicalEntity[],
  classes: readonly EntityClass[] | undefined,
): PhysicalEntity[] {
  if (!classes || classes.length === 0) return [...entities];
  const wanted = new Set<string>(classes);
  const byIndex = new Map(entities.map((e) => [e.index, e]));
  const keptAncestor = (e: PhysicalEntity): number => {
    const seen = new Set<number>();
    let parent = byIndex.get(e.containedIn);
    while (parent && !wanted.has(parent.class) && !seen.has(parent.index)) {
      seen.add(parent.index);
      parent = byIndex.get(parent.containedIn);
    }
    return parent && wanted.has(parent.class) ? parent.index : 0;
  };
  return entities.filter((e) => wanted.has(e.class)).map((e) => ({ ...e, containedIn: keptAncestor(e) }));
}
