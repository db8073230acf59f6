// What an imported HSDS record carries beyond the directory's columns: kept beside them, as published.
import type { HsdsExtra } from './directory.model.js';

export type Json = Record<string, unknown>;
export const withExtra = <T extends object>(record: T, hsds: HsdsExtra | undefined): T => (hsds ? { ...record, hsds } : record);
/** The record without the fields the directory keeps in columns of its own: what the export writes back beside them. */
export const extraOf = (record: object, columns: readonly string[]): HsdsExtra =>
  Object.fromEntries(Object.entries(record).filter(([field]) => !columns.includes(field)));
