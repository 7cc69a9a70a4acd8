import { describe, expect, it } from 'vitest';
import { comparePositions, startOfFeed } from './index-feed-repo.js';

describe('change feed positions', () => {
  it('order by transaction id first, then by sequence number', () => {
    expect(comparePositions({ xid: '10', seq: 7 }, { xid: '11', seq: 3 })).toBeLessThan(0);
    expect(comparePositions({ xid: '11', seq: 3 }, { xid: '10', seq: 7 })).toBeGreaterThan(0);
    expect(comparePositions({ xid: '10', seq: 3 }, { xid: '10', seq: 7 })).toBeLessThan(0);
    expect(comparePositions({ xid: '10', seq: 7 }, { xid: '10', seq: 7 })).toBe(0);
    expect(comparePositions(startOfFeed, { xid: '0', seq: 1 })).toBeLessThan(0);
  });

  it('compare 64-bit transaction ids exactly, beyond what a JavaScript number holds', () => {
    // 2^53 + 1 and 2^53 are the same number as doubles.
    expect(comparePositions({ xid: '9007199254740993', seq: 1 }, { xid: '9007199254740992', seq: 5 })).toBeGreaterThan(0);
    // Text order would put "9" after "10".
    expect(comparePositions({ xid: '9', seq: 1 }, { xid: '10', seq: 1 })).toBeLessThan(0);
  });
});
