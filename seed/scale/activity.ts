/**
 * Workflow and usage rows in proportion to the estate: repair orders (one open for every asset in
 * repair, a few closed ones), workflow requests, warranty reminders, maintenance tickets, ops events
 * and attachments; users, sessions (tokens stored as SHA-256 digests, as createSession does),
 * conversations with messages and context rows, usage logs, daily token statistics, audit logs.
 */
import { createHash } from "node:crypto";
import { SEVERITIES } from "../../src/schema/_helpers.js";
import { pad } from "../generate.js";
import { assetAt, assetKind, type LocationTree, personOf } from "./assets.js";
import { DEPARTMENTS } from "./catalog.js";
import { addDays, at, type ScaleContext, type TableStream, weighted } from "./context.js";
import { rngAt } from "./ids.js";

const BASE = "2025-06-01";
const digest = (text: string) => createHash("sha256").update(text).digest("hex");

// ---------------------------------------------------------------------------------------------
// Repair orders

const ACTIVE_REPAIR = [
  ["open", 40],
  ["diagnosing", 35],
  ["waiting_parts", 25],
] as const;

interface RepairFacts {
  k: number;
  asset: number;
  status: string;
}

/** Repair orders in asset order: every asset in repair has an active one, about 0.5% of the others a closed one. */
function* repairOrders(ctx: ScaleContext): Generator<RepairFacts> {
  let k = 0;
  for (let n = 0; n < ctx.counts.assets; n++) {
    const { status } = assetKind(ctx, n);
    const r = rngAt(ctx.seed, "repair_orders", n);
    if (status === "in_repair") yield { k: k++, asset: n, status: weighted(r.next(), ACTIVE_REPAIR) };
    else if (status !== "disposed" && r.chance(0.005)) yield { k: k++, asset: n, status: "closed" };
  }
}

export function repairOrderStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  return {
    table: "repair_orders",
    columns: [
      "id",
      "asset_id",
      "code",
      "title",
      "description",
      "severity",
      "status",
      "opened_at",
      "closed_at",
      "diagnosis",
      "resolution",
      "repair_type",
      "technician_name",
      "vendor_id",
      "labor_cost",
      "parts_cost",
      "downtime_minutes",
      "created_by",
      "created_at",
      "updated_at",
    ],
    expected: Math.round(ctx.counts.assets * 0.05),
    *rows() {
      for (const o of repairOrders(ctx)) {
        const a = assetAt(ctx, tree, o.asset);
        const r = rngAt(ctx.seed, "repair_order_rows", o.k);
        const closed = o.status === "closed";
        const opened = addDays(BASE, -r.int(closed ? 60 : 1, closed ? 700 : 45));
        const vendorRepair = r.chance(0.3);
        const openedAt = at(opened, 30_000);
        const closedAt = closed ? at(addDays(opened, r.int(1, 20)), 55_000) : null;
        yield [
          ctx.id("repair_orders", o.k),
          ctx.id("assets", o.asset),
          `RO-${pad(o.k + 1, 7)}`,
          `${a.plan.category} fault`,
          `Reported for ${a.code}`,
          r.pick(SEVERITIES),
          o.status,
          openedAt,
          closedAt,
          o.status === "open" ? null : "Hardware fault confirmed",
          closed ? "Part replaced" : null,
          vendorRepair ? "vendor" : "internal",
          vendorRepair ? null : "Field technician",
          vendorRepair ? ctx.id("vendors", a.model.vendor) : null,
          closed ? `${r.int(20, 400)}.00` : "0",
          "0",
          closed ? r.int(30, 20_000) : null,
          "helpdesk",
          openedAt,
          closedAt ?? openedAt,
        ];
      }
    },
  };
}

/** Parts waiting to be issued for orders in waiting_parts (no stock document yet, so no ledger effect). */
export function repairPartStream(ctx: ScaleContext): TableStream {
  return {
    table: "repair_order_parts",
    columns: [
      "id",
      "repair_order_id",
      "part_id",
      "part_name",
      "warehouse_id",
      "action",
      "qty",
      "unit_cost",
      "created_at",
    ],
    expected: Math.round(ctx.counts.assets * 0.01),
    *rows() {
      let k = 0;
      for (const o of repairOrders(ctx)) {
        if (o.status !== "waiting_parts") continue;
        const r = rngAt(ctx.seed, "repair_order_parts", o.k);
        const p = r.int(0, ctx.counts.parts - 1);
        yield [
          ctx.id("repair_order_parts", k++),
          ctx.id("repair_orders", o.k),
          ctx.id("spare_parts", p),
          `part ${p + 1}`,
          ctx.id("warehouses", r.int(0, ctx.counts.warehouses - 1)),
          "replace",
          r.int(1, 2),
          null,
          at(addDays(BASE, -r.int(1, 30)), 40_000),
        ];
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Workflow

const REQUEST_TYPES = [
  ["assign", 40],
  ["return", 20],
  ["move", 20],
  ["repair", 15],
  ["dispose", 5],
] as const;
const REQUEST_STATUSES = [
  ["done", 60],
  ["submitted", 12],
  ["approved", 8],
  ["in_progress", 8],
  ["rejected", 7],
  ["canceled", 5],
] as const;

export function workflowRequestStream(ctx: ScaleContext): TableStream {
  return {
    table: "workflow_requests",
    columns: [
      "id",
      "request_type",
      "asset_id",
      "from_dept",
      "to_dept",
      "requested_by",
      "approved_by",
      "status",
      "payload",
      "created_at",
      "updated_at",
    ],
    expected: ctx.counts.workflowRequests,
    *rows() {
      for (let k = 0; k < ctx.counts.workflowRequests; k++) {
        const r = rngAt(ctx.seed, "workflow_requests", k);
        const status = weighted(r.next(), REQUEST_STATUSES);
        const approved = status === "approved" || status === "in_progress" || status === "done";
        const ts = at(addDays(BASE, -r.int(0, 700)), r.int(28_800, 64_800));
        yield [
          ctx.id("workflow_requests", k),
          weighted(r.next(), REQUEST_TYPES),
          ctx.id("assets", r.int(0, ctx.counts.assets - 1)),
          r.pick(DEPARTMENTS),
          r.pick(DEPARTMENTS),
          personOf(ctx, r.int(0, ctx.counts.users - 1)).username,
          approved ? "it-manager" : null,
          status,
          { reason: "routine" },
          ts,
          ts,
        ];
      }
    },
  };
}

/** One warranty reminder for about 10% of the assets, due 30 days before the warranty ends. */
export function reminderStream(ctx: ScaleContext, tree: LocationTree): TableStream {
  return {
    table: "reminders",
    columns: ["id", "reminder_type", "asset_id", "due_at", "status", "channel", "sent_at", "created_at"],
    expected: Math.round(ctx.counts.assets * 0.1),
    *rows() {
      let k = 0;
      for (let n = 0; n < ctx.counts.assets; n++) {
        if (!rngAt(ctx.seed, "reminders", n).chance(0.1)) continue;
        const a = assetAt(ctx, tree, n);
        const due = addDays(a.warrantyEnd, -30);
        const sent = due < BASE;
        yield [
          ctx.id("reminders", k++),
          "warranty_expiring",
          ctx.id("assets", n),
          at(due, 28_800),
          sent ? "sent" : "pending",
          "ui",
          sent ? at(due, 29_000) : null,
          at(addDays(due, -1), 3_600),
        ];
      }
    },
  };
}

export function ticketStream(ctx: ScaleContext): TableStream {
  return {
    table: "maintenance_tickets",
    columns: [
      "id",
      "asset_id",
      "title",
      "severity",
      "status",
      "opened_at",
      "closed_at",
      "diagnosis",
      "resolution",
      "created_by",
    ],
    expected: ctx.counts.tickets,
    *rows() {
      for (let k = 0; k < ctx.counts.tickets; k++) {
        const r = rngAt(ctx.seed, "maintenance_tickets", k);
        const status = weighted(r.next(), [
          ["closed", 70],
          ["open", 15],
          ["in_progress", 10],
          ["canceled", 5],
        ] as const);
        const opened = addDays(BASE, -r.int(1, 700));
        const closed = status === "closed" || status === "canceled";
        yield [
          ctx.id("maintenance_tickets", k),
          ctx.id("assets", r.int(0, ctx.counts.assets - 1)),
          "Preventive maintenance",
          r.pick(SEVERITIES),
          status,
          at(opened, 30_000),
          closed ? at(addDays(opened, r.int(0, 10)), 60_000) : null,
          null,
          status === "closed" ? "Done" : null,
          "ops",
        ];
      }
    },
  };
}

export function opsEventStream(ctx: ScaleContext): TableStream {
  return {
    table: "ops_events",
    columns: ["id", "entity_type", "entity_id", "event_type", "payload", "actor_user_id", "created_at"],
    expected: ctx.counts.opsEvents,
    *rows() {
      for (let k = 0; k < ctx.counts.opsEvents; k++) {
        const r = rngAt(ctx.seed, "ops_events", k);
        const doc = r.chance(0.7);
        yield [
          ctx.id("ops_events", k),
          doc ? "stock_document" : "warehouse",
          doc
            ? ctx.id("stock_documents", r.int(0, ctx.counts.documents - 1))
            : ctx.id("warehouses", r.int(0, ctx.counts.warehouses - 1)),
          doc ? "posted" : "counted",
          {},
          "storekeeper",
          at(addDays(BASE, -r.int(0, 880)), r.int(28_800, 64_800)),
        ];
      }
    },
  };
}

export function attachmentStream(ctx: ScaleContext): TableStream {
  return {
    table: "attachments",
    columns: [
      "id",
      "entity_type",
      "entity_id",
      "file_name",
      "mime_type",
      "storage_key",
      "size_bytes",
      "version",
      "uploaded_by",
      "created_at",
    ],
    expected: ctx.counts.attachments,
    *rows() {
      for (let k = 0; k < ctx.counts.attachments; k++) {
        const r = rngAt(ctx.seed, "attachments", k);
        yield [
          ctx.id("attachments", k),
          "stock_document",
          ctx.id("stock_documents", r.int(0, ctx.counts.documents - 1)),
          `delivery-note-${k + 1}.pdf`,
          "application/pdf",
          `documents/${k + 1}.pdf`,
          r.int(20_000, 900_000),
          1,
          "storekeeper",
          at(addDays(BASE, -r.int(0, 880)), 40_000),
        ];
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Users, sessions, conversations, usage

export function userStream(ctx: ScaleContext): TableStream {
  return {
    table: "users",
    columns: [
      "id",
      "email",
      "name",
      "username",
      "password_hash",
      "role",
      "is_active",
      "tier",
      "status",
      "last_login_at",
      "created_at",
      "updated_at",
    ],
    expected: ctx.counts.users,
    *rows() {
      for (let u = 0; u < ctx.counts.users; u++) {
        const p = personOf(ctx, u);
        const r = rngAt(ctx.seed, "users", u);
        const created = at(addDays("2023-01-01", r.int(0, 800)), 30_000);
        yield [
          ctx.id("users", u),
          p.email,
          p.name,
          p.username,
          ctx.passwordHash,
          u < 5 ? "admin" : "user",
          r.chance(0.97),
          "free",
          "active",
          at(addDays(BASE, -r.int(0, 60)), 32_000),
          created,
          created,
        ];
      }
    },
  };
}

export function sessionStream(ctx: ScaleContext): TableStream {
  return {
    table: "sessions",
    columns: [
      "id",
      "user_id",
      "token",
      "refresh_token",
      "expires_at",
      "refresh_expires_at",
      "ip_address",
      "user_agent",
      "is_revoked",
      "last_activity_at",
      "created_at",
    ],
    expected: ctx.counts.sessions,
    *rows() {
      for (let k = 0; k < ctx.counts.sessions; k++) {
        const r = rngAt(ctx.seed, "sessions", k);
        const day = addDays(BASE, -r.int(0, 90));
        yield [
          ctx.id("sessions", k),
          ctx.id("users", k % ctx.counts.users),
          digest(`${ctx.seed}:${k}:token`),
          digest(`${ctx.seed}:${k}:refresh`),
          at(addDays(day, 1), 30_000),
          at(addDays(day, 30), 30_000),
          `10.250.${(k >>> 8) & 255}.${(k % 254) + 1}`,
          "NetOpsAI Web/2.3",
          r.chance(0.05),
          at(day, 40_000),
          at(day, 30_000),
        ];
      }
    },
  };
}

const conversationOf = (ctx: ScaleContext, m: number) =>
  Math.floor((m * ctx.counts.conversations) / ctx.counts.messages);
const firstMessage = (ctx: ScaleContext, c: number) =>
  Math.ceil((c * ctx.counts.messages) / ctx.counts.conversations);

export function conversationStream(ctx: ScaleContext): TableStream {
  return {
    table: "conversations",
    columns: [
      "id",
      "user_id",
      "title",
      "model",
      "status",
      "message_count",
      "metadata",
      "created_at",
      "updated_at",
    ],
    expected: ctx.counts.conversations,
    *rows() {
      for (let c = 0; c < ctx.counts.conversations; c++) {
        const r = rngAt(ctx.seed, "conversations", c);
        const model = r.pick(ctx.ref.models);
        const ts = at(addDays(BASE, -r.int(0, 365)), r.int(28_800, 64_800));
        yield [
          ctx.id("conversations", c),
          ctx.id("users", r.int(0, ctx.counts.users - 1)),
          `Conversation ${c + 1}`,
          model?.id ?? null,
          "active",
          firstMessage(ctx, c + 1) - firstMessage(ctx, c),
          {},
          ts,
          ts,
        ];
      }
    },
  };
}

export function messageStream(ctx: ScaleContext): TableStream {
  return {
    table: "messages",
    columns: [
      "id",
      "conversation_id",
      "role",
      "content",
      "model",
      "provider",
      "prompt_tokens",
      "completion_tokens",
      "cost",
      "latency_ms",
      "token_count",
      "created_at",
    ],
    expected: ctx.counts.messages,
    *rows() {
      for (let m = 0; m < ctx.counts.messages; m++) {
        const c = conversationOf(ctx, m);
        const r = rngAt(ctx.seed, "messages", m);
        const assistant = (m - firstMessage(ctx, c)) % 2 === 1;
        const model = assistant ? r.pick(ctx.ref.models) : undefined;
        const tokens = r.int(20, 2000);
        yield [
          ctx.id("messages", m),
          ctx.id("conversations", c),
          assistant ? "assistant" : "user",
          assistant
            ? `Answer ${m + 1}: the switch port is up.`
            : `Question ${m + 1}: which port is the printer on?`,
          model?.id ?? null,
          model?.provider ?? null,
          assistant ? r.int(100, 4000) : 0,
          assistant ? tokens : 0,
          assistant ? `0.${pad(r.int(1, 9999), 4)}` : null,
          assistant ? r.int(200, 9000) : null,
          tokens,
          at(addDays(BASE, -(c % 365)), 30_000 + (m - firstMessage(ctx, c)) * 30),
        ];
      }
    },
  };
}

export function chatContextStream(ctx: ScaleContext): TableStream {
  return {
    table: "chat_contexts",
    columns: [
      "id",
      "conversation_id",
      "context",
      "summary",
      "token_count",
      "last_message_id",
      "created_at",
      "updated_at",
    ],
    expected: Math.round(ctx.counts.conversations * 0.3),
    *rows() {
      let k = 0;
      for (let c = 0; c < ctx.counts.conversations; c++) {
        if (!rngAt(ctx.seed, "chat_contexts", c).chance(0.3)) continue;
        const last = firstMessage(ctx, c + 1) - 1;
        const ts = at(addDays(BASE, -(c % 365)), 50_000);
        yield [
          ctx.id("chat_contexts", k++),
          ctx.id("conversations", c),
          { topic: "network support" },
          "User asked about switch ports.",
          512,
          last >= firstMessage(ctx, c) ? ctx.id("messages", last) : null,
          ts,
          ts,
        ];
      }
    },
  };
}

export function usageLogStream(ctx: ScaleContext): TableStream {
  return {
    table: "usage_logs",
    columns: [
      "id",
      "user_id",
      "model_id",
      "tier",
      "prompt_tokens",
      "completion_tokens",
      "total_tokens",
      "total_cost",
      "quality_score",
      "escalated",
      "created_at",
    ],
    expected: ctx.counts.usageLogs,
    *rows() {
      for (let k = 0; k < ctx.counts.usageLogs; k++) {
        const r = rngAt(ctx.seed, "usage_logs", k);
        const model = r.pick(ctx.ref.models);
        const prompt = r.int(50, 6000);
        const completion = r.int(20, 2000);
        yield [
          ctx.id("usage_logs", k),
          ctx.id("users", r.int(0, ctx.counts.users - 1)),
          model?.id ?? null,
          model?.tier ?? 0,
          prompt,
          completion,
          prompt + completion,
          `0.${pad(r.int(0, 99_999), 6)}`,
          `0.${pad(r.int(50, 99), 2)}`,
          r.chance(0.04),
          at(addDays(BASE, -r.int(0, 365)), r.int(0, 86_399)),
        ];
      }
    },
  };
}

/** Daily roll-ups: 20 active days per user, one model each day ((user, date, model, provider) is the key). */
export function tokenStatStream(ctx: ScaleContext): TableStream {
  return {
    table: "user_token_stats",
    columns: [
      "user_id",
      "date",
      "model",
      "provider",
      "total_tokens",
      "total_cost",
      "message_count",
      "conversation_count",
    ],
    expected: ctx.counts.users * 20,
    *rows() {
      for (let u = 0; u < ctx.counts.users; u++) {
        const r = rngAt(ctx.seed, "user_token_stats", u);
        const userId = ctx.id("users", u);
        let day = r.int(0, 30);
        for (let i = 0; i < 20; i++) {
          day += r.int(1, 15);
          const model = r.pick(ctx.ref.models);
          yield [
            userId,
            addDays(BASE, -day),
            model?.id ?? "unknown",
            model?.provider ?? "unknown",
            r.int(100, 50_000),
            `${r.int(0, 9)}.${pad(r.int(0, 999_999), 6)}`,
            r.int(1, 80),
            r.int(1, 6),
          ];
        }
      }
    },
  };
}

export function auditLogStream(ctx: ScaleContext): TableStream {
  const ACTIONS = ["login", "asset.update", "asset.assign", "stock.post", "ci.update", "export"] as const;
  return {
    table: "audit_logs",
    columns: ["id", "correlation_id", "user_id", "action", "resource", "details", "created_at"],
    expected: ctx.counts.auditLogs,
    *rows() {
      for (let k = 0; k < ctx.counts.auditLogs; k++) {
        const r = rngAt(ctx.seed, "audit_logs", k);
        yield [
          ctx.id("audit_logs", k),
          `corr-${k + 1}`,
          ctx.id("users", r.int(0, ctx.counts.users - 1)),
          r.pick(ACTIONS),
          `/api/v1/resource/${r.int(1, 9999)}`,
          {},
          at(addDays(BASE, -r.int(0, 365)), r.int(0, 86_399)),
        ];
      }
    },
  };
}
