// Lookups in the keyword data's plain objects by user-typed names: only own properties count, so
// names such as 'constructor' or '__proto__' never find Object.prototype members.

export function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
