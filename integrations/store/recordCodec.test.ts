import { createHash } from 'node:crypto';
import { storageKeyOf } from './recordCodec';

const sha = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 40);

describe('storageKeyOf', () => {
  it('is the hash of the conversation id, whether remembered or not, and names nothing of it', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `29:test-conversation-${i}`); // more than it remembers
    for (const id of ids) expect(storageKeyOf(id)).toBe(sha(id));
    for (const id of ids) expect(storageKeyOf(id)).toBe(sha(id)); // the earliest were forgotten, the latest remembered
    expect(storageKeyOf(ids[0])).toMatch(/^[0-9a-f]{40}$/);
    expect(storageKeyOf('a')).not.toBe(storageKeyOf('b'));
  });
});
