/**
 * Own-property reads and writes for records keyed by user data (field
 * names, document keys), so `__proto__`, `constructor` and `prototype` are
 * ordinary keys: an inherited member is never read as a value, and a write
 * never sets a prototype.
 */

/**
 * @param record - a record, or undefined
 * @param key - any key
 * @returns the record's own value for `key`, else undefined
 * @example
 * ```ts
 * own({}, 'constructor'); // undefined (not Object)
 * ```
 */
export function own<T>(
  record: Readonly<Record<string, T>> | undefined | null,
  key: string,
): T | undefined {
  return record != null && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Sets an own, enumerable property (also for the key `__proto__`).
 * @param record - the record
 * @param key - any key
 * @param value - the value
 * @example
 * ```ts
 * const stored = {}; setOwn(stored, '__proto__', 'text'); Object.keys(stored); // ['__proto__']
 * ```
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
