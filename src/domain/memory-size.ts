/**
 * A memory size as DuckDB's memory_limit takes it: a number and a unit (`512MB`, `2GB`, `1.5 GiB`). One
 * rule for every place a size is given (Store.setBudget, `segmint serve --limit database-memory=…`), so
 * what one accepts the other does; it is also why the size may be spliced into SET, which takes no
 * placeholder.
 */
export function isMemorySize(text: string): boolean {
  return /^\d+(\.\d+)?\s?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(text);
}
