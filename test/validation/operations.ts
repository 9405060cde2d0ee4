/**
 * Which columns each operation input writes (or looks up): the map behind the looseness and length
 * checks (looseness.test.ts, lengths.test.ts). A new operation input exported from src/validation
 * must be listed here (or in NO_COLUMNS with the reason), so it cannot escape those checks.
 */
import type { z } from "zod";
import * as v from "../../src/validation/index.js";

export type Obj = z.ZodObject<z.ZodRawShape>;

/** Operation input -> the tables (insert schemas) whose columns its fields write, first match wins. */
export const OPERATIONS: [string, Obj, Obj[]][] = [
  ["createAssetModelInput", v.createAssetModelInput, [v.insertAssetModelSchema]],
  ["createAssetInput", v.createAssetInput, [v.insertAssetSchema, v.insertAssetEventSchema]],
  ["assetCodeInput", v.assetCodeInput, [v.insertAssetSchema]],
  ["assignAssetInput", v.assignAssetInput, [v.insertAssetAssignmentSchema, v.insertAssetEventSchema]],
  ["returnAssetInput", v.returnAssetInput, [v.insertAssetAssignmentSchema, v.insertAssetEventSchema]],
  ["moveAssetInput", v.moveAssetInput, [v.insertAssetSchema, v.insertAssetEventSchema]],
  ["transitionAssetStatusInput", v.transitionAssetStatusInput, [v.insertAssetEventSchema]],
  ["createLocationInput", v.createLocationInput, [v.insertLocationSchema]],
  ["renameLocationInput", v.renameLocationInput, [v.insertLocationSchema]],
  ["startInventoryInput", v.startInventoryInput, [v.insertInventorySessionSchema]],
  ["scanInventoryInput", v.scanInventoryInput, [v.insertInventoryItemSchema]],
  ["createCiInput", v.createCiInput, [v.insertCmdbCiSchema]],
  ["updateCiInput", v.updateCiInput, [v.insertCmdbCiSchema]],
  ["relateCisInput", v.relateCisInput, [v.insertCmdbRelationshipSchema]],
  ["createSessionInput", v.createSessionInput, [v.insertSessionSchema]],
  ["recordUsageInput", v.recordUsageInput, [v.insertUsageLogSchema, v.insertUserTokenStatSchema]],
  ["stockDocumentLineInput", v.stockDocumentLineInput, [v.insertStockDocumentLineSchema]],
  ["createStockDocumentInput", v.createStockDocumentInput, [v.insertStockDocumentSchema]],
  ["updateDraftInput", v.updateDraftInput, [v.insertStockDocumentSchema]],
  [
    "postStockDocumentInput",
    v.postStockDocumentInput,
    [v.insertStockDocumentSchema, v.insertSparePartMovementSchema],
  ],
  ["cancelStockDocumentInput", v.cancelStockDocumentInput, [v.insertSparePartMovementSchema]],
  ["reservationInput", v.reservationInput, [v.insertSparePartMovementSchema]],
  [
    "openRepairOrderInput",
    v.openRepairOrderInput,
    [v.insertRepairOrderSchema, v.insertSparePartMovementSchema],
  ],
  ["addRepairPartsInput", v.addRepairPartsInput, [v.insertSparePartMovementSchema]],
  ["addRepairPartsInput.parts[]", v.addRepairPartsInput.shape.parts.element, [v.insertRepairOrderPartSchema]],
  ["progressRepairOrderInput", v.progressRepairOrderInput, [v.insertRepairOrderSchema]],
  [
    "closeRepairOrderInput",
    v.closeRepairOrderInput,
    [v.insertRepairOrderSchema, v.insertSparePartMovementSchema],
  ],
  ["cancelRepairOrderInput", v.cancelRepairOrderInput, [v.insertSparePartMovementSchema]],
  ["createWorkflowRequestInput", v.createWorkflowRequestInput, [v.insertWorkflowRequestSchema]],
  ["transitionWorkflowRequestInput", v.transitionWorkflowRequestInput, [v.insertWorkflowRequestSchema]],
  ["generateRemindersInput", v.generateRemindersInput, [v.insertReminderSchema]],
  ["openMaintenanceTicketInput", v.openMaintenanceTicketInput, [v.insertMaintenanceTicketSchema]],
  ["transitionMaintenanceTicketInput", v.transitionMaintenanceTicketInput, [v.insertMaintenanceTicketSchema]],
] as [string, Obj, Obj[]][];

/** Inputs with no field that maps to a column (ids, search filters, depths): and why. */
export const NO_COLUMNS: Record<string, string> = {
  documentIdInput: "an id",
  stockKeyInput: "ids",
  lowStockInput: "an optional id",
  moveLocationInput: "ids (the path is computed)",
  searchAssetsInput:
    "filters: prefixes bounded by the column's length (prefixOf), addresses by the column's rule",
  impactInput: "an id, a direction and a depth",
  serviceMapInput: "an id and a depth",
  sessionTokenInput: "a plaintext token: only its digest is stored",
  revokeSessionInput: "an id or a plaintext token",
  stockDocumentLinesInput: "the array of stockDocumentLineInput (checked above)",
};

/** Fields named like a column they do not write, and why. */
export const NOT_THE_COLUMN: Record<string, string> = {
  "createSessionInput.token": "the plaintext token: sessions.token stores its SHA-256 digest",
  "createSessionInput.refreshToken": "the plaintext token: sessions.refresh_token stores its SHA-256 digest",
};

/** Extra fields mapped to a column under another name: [input, field] -> [table, column key]. */
export const RENAMED: [string, string, Obj, string][] = [
  ["relateCisInput", "relTypeCode", v.insertCmdbRelationshipTypeSchema, "code"],
  ["transitionWorkflowRequestInput", "actor", v.insertWorkflowRequestSchema, "approvedBy"],
  ["recordUsageInput", "provider", v.insertUserTokenStatSchema, "provider"],
];

/** Search filters bounded by a varchar column (prefixOf): [input, field] -> [table, column key]. */
export const PREFIXES: [string, string, Obj, string][] = [
  ["searchAssetsInput", "code", v.insertAssetSchema, "assetCode"],
  ["searchAssetsInput", "hostname", v.insertAssetSchema, "hostname"],
  ["searchAssetsInput", "serial", v.insertAssetSchema, "serialNo"],
];

/**
 * Every (operation input field, column rule) pair: fields named as a column of the input's tables
 * (first table that has it), then RENAMED ones. `table` is the insert schema, `key` the column.
 */
export function operationFields(): { name: string; field: z.ZodType; table: Obj; key: string }[] {
  return [
    ...OPERATIONS.flatMap(([name, input, tables]) =>
      Object.keys(input.shape).flatMap((key) => {
        const table = tables.find((t) => key in t.shape);
        return table && !NOT_THE_COLUMN[`${name}.${key}`]
          ? [{ name: `${name}.${key}`, field: input.shape[key] as z.ZodType, table, key }]
          : [];
      }),
    ),
    ...RENAMED.map(([name, field, table, key]) => {
      const input = OPERATIONS.find(([n]) => n === name)?.[1];
      return { name: `${name}.${field} (${key})`, field: input?.shape[field] as z.ZodType, table, key };
    }),
  ];
}
