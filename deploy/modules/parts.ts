/** Helpers shared by the per-vault part modules. */

/**
 * Memoises a module factory by vault prefix: Ignition refuses two different module objects with one id in a
 * deployment, and a vault's Suite and the modules that use it must see the very same object.
 */
export function memoByPrefix<T>(build: (prefix: string) => T): (prefix: string) => T {
  const cache = new Map<string, T>();
  return (prefix) => {
    let module = cache.get(prefix);
    if (module === undefined) {
      module = build(prefix);
      cache.set(prefix, module);
    }
    return module;
  };
}
