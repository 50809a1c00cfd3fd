import type { MnemoBackend } from '@mnemolite/mcp';
import { deferredBackend } from './deferred-backend';

describe('deferred backend (the database opening behind the protocol)', () => {
  it('holds each operation until the backend is open, then runs it with its arguments', async () => {
    let open: (backend: MnemoBackend) => void = () => undefined;
    const opening = new Promise<MnemoBackend>((resolve) => (open = resolve));
    const deferred = deferredBackend(opening, 'in-process', 'default');
    expect(deferred.via).toBe('in-process');
    let settled = false;
    const call = deferred.getEvent('0b7c2f1e-6a51-4d38-9d1c-2f0f6d7a1b23').then((event) => ((settled = true), event));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    const seen: string[] = [];
    open({ via: 'real', getEvent: async (id: string) => (seen.push(id), { id }) } as unknown as MnemoBackend);
    await expect(call).resolves.toEqual({ id: '0b7c2f1e-6a51-4d38-9d1c-2f0f6d7a1b23' });
    expect(seen).toEqual(['0b7c2f1e-6a51-4d38-9d1c-2f0f6d7a1b23']);
  });

  it('confines to another namespace once open, and knows its namespace before', async () => {
    let open: (backend: MnemoBackend) => void = () => undefined;
    const opening = new Promise<MnemoBackend>((resolve) => (open = resolve));
    const deferred = deferredBackend(opening, 'in-process', 'team-a');
    expect(deferred.namespace).toBe('team-a');
    const other = deferred.withNamespace('team-b');
    expect(other.namespace).toBe('team-b');
    const call = other.listEvents({});
    const real = (namespace: string): MnemoBackend =>
      ({ via: 'real', namespace, withNamespace: real, listEvents: async () => ({ namespace }) }) as unknown as MnemoBackend;
    open(real('team-a'));
    await expect(call).resolves.toEqual({ namespace: 'team-b' });
  });

  it('fails each operation with the opening error', async () => {
    const deferred = deferredBackend(Promise.reject(new Error('The embedded database is in use by process 42.')), 'in-process', 'default');
    await expect(deferred.repositories()).rejects.toThrow('in use by process 42');
  });
});
