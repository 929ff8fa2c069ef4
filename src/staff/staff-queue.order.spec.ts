import { compareItems, type QueueItem } from './staff-queue.service';

const item = (id: string, urgent: boolean, callableNow: boolean, minute: number): QueueItem =>
  ({ id, urgent, callableNow, createdAt: new Date(Date.UTC(2026, 0, 15, 8, minute)) }) as QueueItem;

describe('staff queue order', () => {
  it('puts urgent first, then who can be called now, then the oldest', () => {
    const items = [
      item('new-now', false, true, 30),
      item('old-later', false, false, 1),
      item('urgent-later', true, false, 40),
      item('old-now', false, true, 10),
      item('urgent-now', true, true, 50),
    ];
    expect(items.sort(compareItems).map((i) => i.id)).toEqual(['urgent-now', 'urgent-later', 'old-now', 'new-now', 'old-later']);
  });
});
