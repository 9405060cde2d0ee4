/**
 * Prepared statements per database handle. A drizzle prepared query is bound to the handle it was
 * built on (a pool, or the connection of a transaction), so each handle gets its own, built once.
 */
import type { DbOrTx } from "../../db.js";

export function preparedPer<P>(name: string, build: (db: DbOrTx, name: string) => P): (db: DbOrTx) => P {
  const cache = new WeakMap<DbOrTx, P>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db, name);
      cache.set(db, prepared);
    }
    return prepared;
  };
}
