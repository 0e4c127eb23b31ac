// Dynamic import() of user modules and optional libraries. The CLI bundle runs from a V8 code
// cache (bin/run-cli.js), where Node 20 cannot call import() itself, so the loader hands in its own.

type Importer = (specifier: string) => Promise<unknown>;

export function importModule(specifier: string): Promise<unknown> {
  const hook = (globalThis as { __cmImportModule?: Importer }).__cmImportModule;
  return hook ? hook(specifier) : import(specifier);
}
