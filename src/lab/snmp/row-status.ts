/**
 * RFC 2579 RowStatus: what a SET of the status column does to a conceptual row, given the state the
 * row is in and whether the row (with the other values of the same PDU applied) could be activated.
 * It follows the state table of RFC 2579 (pages 8-9); agents may refuse notInService on an active
 * row with wrongValue, and this one does, since an active copy row can only be destroyed.
 */

export const RowStatus = {
  active: 1,
  notInService: 2,
  notReady: 3,
  createAndGo: 4,
  createAndWait: 5,
  destroy: 6,
} as const;

/** The states a row that exists can be in; `absent` is a row that does not exist. */
export type RowState = 'active' | 'notInService' | 'notReady';

export type RowStatusOutcome =
  { readonly next: RowState | 'absent' } | { readonly error: 'wrongValue' | 'inconsistentValue' };

/**
 * @param current the row's state before this PDU
 * @param requested the value SET in the status column, or undefined when the PDU sets only other columns
 * @param ready the row, with this PDU's other values, has everything it needs to become active
 */
export function rowStatusTransition(
  current: RowState | 'absent',
  requested: number | undefined,
  ready: boolean,
): RowStatusOutcome {
  if (requested === undefined) {
    // Columns alone never create a row; callers reject that case with inconsistentName earlier.
    if (current === 'absent' || current === 'active') return { next: current };
    return { next: ready ? 'notInService' : 'notReady' };
  }
  switch (requested) {
    case RowStatus.createAndGo:
      if (current !== 'absent') return { error: 'inconsistentValue' };
      return ready ? { next: 'active' } : { error: 'inconsistentValue' };
    case RowStatus.createAndWait:
      if (current !== 'absent') return { error: 'inconsistentValue' };
      return { next: ready ? 'notInService' : 'notReady' };
    case RowStatus.active:
      if (current === 'absent') return { error: 'inconsistentValue' };
      if (current === 'active') return { next: 'active' };
      return ready ? { next: 'active' } : { error: 'inconsistentValue' };
    case RowStatus.notInService:
      if (current === 'absent') return { error: 'inconsistentValue' };
      if (current === 'active') return { error: 'wrongValue' };
      return ready ? { next: 'notInService' } : { error: 'inconsistentValue' };
    case RowStatus.destroy:
      return { next: 'absent' };
    case RowStatus.notReady:
      return { error: 'inconsistentValue' };
    default:
      return { error: 'wrongValue' };
  }
}

export function rowStatusValue(state: RowState): number {
  return RowStatus[state];
}
