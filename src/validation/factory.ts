/**
 * drizzle-zod schema builders shared by every domain. Timestamp columns coerce, so an ISO 8601
 * string from a JSON body becomes a Date (an unparseable one is rejected as an invalid date).
 */
import { createSchemaFactory } from "drizzle-zod";

export const { createInsertSchema, createSelectSchema, createUpdateSchema } = createSchemaFactory({
  coerce: { date: true },
});
