import type { MnemoBackend } from '@mnemolite/mcp';

/**
 * A backend whose operations wait for the real one. The stdio server answers `initialize` and
 * `tools/list` at once while the database opens (creating an embedded one takes seconds, and clients
 * give up on a server that stays silent); a tool called meanwhile runs when the database is ready.
 */
export function deferredBackend(opening: Promise<MnemoBackend>, via: string, namespace: string): MnemoBackend {
  // Failures are handled by whoever started the opening; calls made meanwhile reject with it too.
  opening.catch(() => undefined);
  return new Proxy({ via, namespace } as MnemoBackend, {
    get(target, name: string | symbol) {
      if (name === 'via') return target.via;
      if (name === 'namespace') return target.namespace;
      if (name === 'withNamespace') {
        return (other: string) =>
          deferredBackend(
            opening.then((backend) => backend.withNamespace(other)),
            via,
            other,
          );
      }
      return async (...args: unknown[]) => {
        const backend = await opening;
        const operation = backend[name as keyof MnemoBackend] as unknown as (...a: unknown[]) => Promise<unknown>;
        return operation.apply(backend, args);
      };
    },
  });
}
