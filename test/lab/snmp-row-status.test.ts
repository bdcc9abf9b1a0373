/** RFC 2579 RowStatus state table (pages 8-9), as the ccCopyTable applies it. */
import { describe, expect, it } from 'vitest';
import { RowStatus, rowStatusTransition, type RowState } from '../../src/lab/snmp/row-status.js';

type Case = [RowState | 'absent', keyof typeof RowStatus, boolean, string];

const cases: Case[] = [
  ['absent', 'createAndGo', true, 'active'],
  ['absent', 'createAndGo', false, 'inconsistentValue'],
  ['absent', 'createAndWait', false, 'notReady'],
  ['absent', 'createAndWait', true, 'notInService'],
  ['absent', 'active', true, 'inconsistentValue'],
  ['absent', 'notInService', true, 'inconsistentValue'],
  ['absent', 'destroy', false, 'absent'],
  ['notReady', 'active', false, 'inconsistentValue'],
  ['notReady', 'active', true, 'active'],
  ['notReady', 'notInService', true, 'notInService'],
  ['notInService', 'active', true, 'active'],
  ['active', 'active', true, 'active'],
  ['active', 'notInService', true, 'wrongValue'],
  ['active', 'createAndGo', true, 'inconsistentValue'],
  ['notInService', 'createAndWait', true, 'inconsistentValue'],
  ['active', 'destroy', true, 'absent'],
  ['notInService', 'notReady', true, 'inconsistentValue'],
];

describe('rowStatusTransition', () => {
  it.each(cases)('%s + set %s (ready: %s) -> %s', (state, requested, ready, expected) => {
    const outcome = rowStatusTransition(state, RowStatus[requested], ready);
    expect('error' in outcome ? outcome.error : outcome.next).toBe(expected);
  });

  it('refuses values outside 1..6 with wrongValue', () => {
    expect(rowStatusTransition('absent', 0, true)).toEqual({ error: 'wrongValue' });
    expect(rowStatusTransition('active', 7, true)).toEqual({ error: 'wrongValue' });
  });

  it('moves a waiting row between notReady and notInService as its columns are set', () => {
    expect(rowStatusTransition('notReady', undefined, true)).toEqual({ next: 'notInService' });
    expect(rowStatusTransition('notInService', undefined, false)).toEqual({ next: 'notReady' });
  });
});
