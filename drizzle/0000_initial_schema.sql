CREATE TABLE "asset_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid,
	"assignee_type" varchar(20) NOT NULL,
	"assignee_id" varchar(255) NOT NULL,
	"assignee_name" varchar(255) NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now(),
	"returned_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "asset_assignments_assignee_type_check" CHECK ("asset_assignments"."assignee_type" IN ('person', 'department', 'system'))
);
--> statement-breakpoint
CREATE TABLE "asset_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid,
	"file_name" text,
	"mime_type" text,
	"storage_key" text,
	"size_bytes" bigint,
	"version" integer NOT NULL,
	"uploaded_by" text,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "asset_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(255) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "asset_category_spec_defs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"field_type" text NOT NULL,
	"unit" text,
	"required" boolean DEFAULT false,
	"enum_values" jsonb,
	"pattern" text,
	"min_len" integer,
	"max_len" integer,
	"min_value" numeric,
	"max_value" numeric,
	"step_value" numeric,
	"precision" integer,
	"scale" integer,
	"default_value" jsonb,
	"help_text" text,
	"sort_order" integer DEFAULT 0,
	"is_active" boolean DEFAULT true,
	"is_readonly" boolean DEFAULT false,
	"is_searchable" boolean DEFAULT false,
	"is_filterable" boolean DEFAULT false,
	CONSTRAINT "asset_category_spec_defs_version_id_key_key" UNIQUE("version_id","key")
);
--> statement-breakpoint
CREATE TABLE "asset_category_spec_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category_id" uuid,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "asset_category_spec_versions_category_id_version_key" UNIQUE("category_id","version"),
	CONSTRAINT "asset_category_spec_versions_status_check" CHECK ("asset_category_spec_versions"."status" IN ('draft', 'active', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "asset_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid,
	"event_type" varchar(50) NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb,
	"actor_user_id" varchar(255),
	"correlation_id" varchar(100),
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "asset_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category_id" uuid,
	"spec_version_id" uuid,
	"vendor_id" uuid,
	"brand" varchar(255),
	"model" varchar(255) NOT NULL,
	"spec" jsonb DEFAULT '{}'::jsonb,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_code" varchar(100) NOT NULL,
	"model_id" uuid,
	"serial_no" varchar(255),
	"mac_address" varchar(50),
	"mgmt_ip" "inet",
	"hostname" varchar(255),
	"vlan_id" integer,
	"switch_name" varchar(255),
	"switch_port" varchar(100),
	"location_id" uuid,
	"status" varchar(20) DEFAULT 'in_stock',
	"purchase_date" date,
	"warranty_end" date,
	"vendor_id" uuid,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "assets_asset_code_key" UNIQUE("asset_code"),
	CONSTRAINT "assets_status_check" CHECK ("assets"."status" IN ('in_stock', 'in_use', 'in_repair', 'retired', 'disposed', 'lost'))
);
--> statement-breakpoint
CREATE TABLE "inventory_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid,
	"asset_id" uuid,
	"expected_location_id" uuid,
	"scanned_location_id" uuid,
	"scanned_at" timestamp with time zone,
	"status" text NOT NULL,
	"note" text,
	CONSTRAINT "inventory_items_status_check" CHECK ("inventory_items"."status" IN ('found', 'missing', 'moved', 'unknown'))
);
--> statement-breakpoint
CREATE TABLE "inventory_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"location_id" uuid,
	"status" text NOT NULL,
	"started_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_by" text,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "inventory_sessions_status_check" CHECK ("inventory_sessions"."status" IN ('draft', 'in_progress', 'closed', 'canceled'))
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(255) NOT NULL,
	"parent_id" uuid,
	"path" text DEFAULT '/' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "vendors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(255) NOT NULL,
	"tax_code" varchar(100),
	"phone" varchar(50),
	"email" varchar(255),
	"address" text,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "cmdb_ci_attr_values" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ci_id" uuid,
	"version_id" uuid,
	"key" text NOT NULL,
	"value" jsonb,
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "cmdb_ci_attr_values_ci_id_key_key" UNIQUE("ci_id","key")
);
--> statement-breakpoint
CREATE TABLE "cmdb_ci_type_attr_defs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"field_type" text NOT NULL,
	"unit" text,
	"required" boolean DEFAULT false,
	"enum_values" jsonb,
	"pattern" text,
	"min_len" integer,
	"max_len" integer,
	"min_value" numeric,
	"max_value" numeric,
	"step_value" numeric,
	"precision" integer,
	"scale" integer,
	"default_value" jsonb,
	"help_text" text,
	"sort_order" integer DEFAULT 0,
	"is_active" boolean DEFAULT true,
	"is_readonly" boolean DEFAULT false,
	"is_searchable" boolean DEFAULT false,
	"is_filterable" boolean DEFAULT false,
	CONSTRAINT "cmdb_ci_type_attr_defs_version_id_key_key" UNIQUE("version_id","key")
);
--> statement-breakpoint
CREATE TABLE "cmdb_ci_type_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type_id" uuid,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "cmdb_ci_type_versions_type_id_version_key" UNIQUE("type_id","version"),
	CONSTRAINT "cmdb_ci_type_versions_status_check" CHECK ("cmdb_ci_type_versions"."status" IN ('draft', 'active', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "cmdb_ci_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "cmdb_ci_types_code_key" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "cmdb_cis" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type_id" uuid,
	"name" text NOT NULL,
	"ci_code" text NOT NULL,
	"status" text DEFAULT 'active',
	"environment" text DEFAULT 'prod',
	"asset_id" uuid,
	"location_id" uuid,
	"owner_team" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "cmdb_cis_ci_code_key" UNIQUE("ci_code"),
	CONSTRAINT "cmdb_cis_status_check" CHECK ("cmdb_cis"."status" IN ('active', 'planned', 'maintenance', 'retired')),
	CONSTRAINT "cmdb_cis_environment_check" CHECK ("cmdb_cis"."environment" IN ('prod', 'uat', 'dev'))
);
--> statement-breakpoint
CREATE TABLE "cmdb_relationship_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"reverse_name" text,
	"allowed_from_type_id" uuid,
	"allowed_to_type_id" uuid,
	CONSTRAINT "cmdb_relationship_types_code_key" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "cmdb_relationships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rel_type_id" uuid,
	"from_ci_id" uuid,
	"to_ci_id" uuid,
	"status" text DEFAULT 'active',
	"since_date" date,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "cmdb_relationships_status_check" CHECK ("cmdb_relationships"."status" IN ('active', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "cmdb_service_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid,
	"ci_id" uuid,
	"role" text,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "cmdb_services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"criticality" text,
	"owner" text,
	"sla" text,
	"status" text,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "cmdb_services_code_key" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "ai_providers" (
	"id" varchar(100) PRIMARY KEY NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"api_endpoint" text,
	"auth_type" varchar(50),
	"api_key" text,
	"capabilities" jsonb DEFAULT '{}'::jsonb,
	"status" varchar(20) DEFAULT 'active',
	"rate_limit_per_minute" integer,
	"credits_remaining" numeric(12, 4),
	"tokens_used" bigint,
	"last_usage_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"correlation_id" varchar(100),
	"user_id" varchar(255),
	"action" varchar(100) NOT NULL,
	"resource" varchar(255),
	"details" jsonb DEFAULT '{}'::jsonb,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "chat_contexts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"summary" text,
	"token_count" integer DEFAULT 0 NOT NULL,
	"last_message_id" uuid,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "chat_contexts_conversation_id_key" UNIQUE("conversation_id"),
	CONSTRAINT "chat_contexts_token_count_check" CHECK ("chat_contexts"."token_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" varchar(255) NOT NULL,
	"title" varchar(255) NOT NULL,
	"model" varchar(255) DEFAULT 'openai/gpt-4o-mini',
	"status" varchar(20) DEFAULT 'active',
	"message_count" integer DEFAULT 0,
	"metadata" jsonb DEFAULT '{}'::jsonb,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid,
	"role" varchar(20) NOT NULL,
	"content" text NOT NULL,
	"model" varchar(255),
	"provider" varchar(50),
	"prompt_tokens" integer DEFAULT 0,
	"completion_tokens" integer DEFAULT 0,
	"cost" numeric(12, 4),
	"latency_ms" integer,
	"metadata" jsonb DEFAULT '{}'::jsonb,
	"tool_calls" jsonb,
	"tool_call_id" varchar(255),
	"token_count" integer DEFAULT 0,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "messages_role_check" CHECK ("messages"."role" IN ('user', 'assistant', 'system', 'tool'))
);
--> statement-breakpoint
CREATE TABLE "model_configs" (
	"id" varchar(100) PRIMARY KEY NOT NULL,
	"provider" varchar(50) NOT NULL,
	"tier" integer NOT NULL,
	"context_window" integer,
	"max_tokens" integer,
	"cost_per_1k_input" numeric(10, 6),
	"cost_per_1k_output" numeric(10, 6),
	"capabilities" jsonb DEFAULT '{}'::jsonb,
	"enabled" boolean DEFAULT true,
	"supports_streaming" boolean DEFAULT false,
	"supports_functions" boolean DEFAULT false,
	"supports_vision" boolean DEFAULT false,
	"description" text,
	"priority" integer DEFAULT 100,
	"status" varchar(20) DEFAULT 'active',
	"display_name" varchar(255),
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "model_configs_tier_check" CHECK ("model_configs"."tier" >= 0 AND "model_configs"."tier" <= 3)
);
--> statement-breakpoint
CREATE TABLE "orchestration_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"strategy" varchar(50) NOT NULL,
	"model_sequence" jsonb NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb,
	"enabled" boolean DEFAULT true,
	"priority" integer DEFAULT 100,
	"metadata" jsonb DEFAULT '{}'::jsonb,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"token" varchar(500) NOT NULL,
	"refresh_token" varchar(500) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"refresh_expires_at" timestamp with time zone NOT NULL,
	"ip_address" varchar(45),
	"user_agent" text,
	"is_revoked" boolean DEFAULT false,
	"last_activity_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "sessions_token_key" UNIQUE("token"),
	CONSTRAINT "sessions_refresh_token_key" UNIQUE("refresh_token")
);
--> statement-breakpoint
CREATE TABLE "usage_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" varchar(255) NOT NULL,
	"model_id" varchar(100),
	"tier" integer NOT NULL,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"total_tokens" integer,
	"total_cost" numeric(10, 6),
	"quality_score" numeric(3, 2),
	"escalated" boolean DEFAULT false,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "user_token_stats" (
	"user_id" varchar(255) NOT NULL,
	"date" date NOT NULL,
	"model" varchar(150) NOT NULL,
	"provider" varchar(100) NOT NULL,
	"total_tokens" integer DEFAULT 0,
	"total_cost" numeric(12, 6) DEFAULT 0,
	"message_count" integer DEFAULT 0,
	"conversation_count" integer DEFAULT 0,
	CONSTRAINT "user_token_stats_pkey" PRIMARY KEY("user_id","date","model","provider")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(255) NOT NULL,
	"name" varchar(255) NOT NULL,
	"username" varchar(255),
	"password_hash" varchar(255) NOT NULL,
	"role" varchar(50) DEFAULT 'user',
	"is_active" boolean DEFAULT true,
	"tier" varchar(50) DEFAULT 'free',
	"status" varchar(20) DEFAULT 'active',
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "users_email_key" UNIQUE("email"),
	CONSTRAINT "users_username_key" UNIQUE("username"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" IN ('user', 'admin', 'super_admin'))
);
--> statement-breakpoint
CREATE TABLE "repair_order_parts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"repair_order_id" uuid,
	"part_id" uuid,
	"part_name" text,
	"warehouse_id" uuid,
	"action" text NOT NULL,
	"qty" integer NOT NULL,
	"unit_cost" numeric(12, 2),
	"serial_no" text,
	"note" text,
	"stock_document_id" uuid,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "repair_order_parts_action_check" CHECK ("repair_order_parts"."action" IN ('replace', 'add', 'remove', 'upgrade')),
	CONSTRAINT "repair_order_parts_qty_check" CHECK ("repair_order_parts"."qty" > 0)
);
--> statement-breakpoint
CREATE TABLE "repair_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid,
	"ci_id" uuid,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now(),
	"closed_at" timestamp with time zone,
	"diagnosis" text,
	"resolution" text,
	"repair_type" text NOT NULL,
	"technician_name" text,
	"vendor_id" uuid,
	"labor_cost" numeric(12, 2) DEFAULT 0,
	"parts_cost" numeric(12, 2) DEFAULT 0,
	"downtime_minutes" integer,
	"created_by" text,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "repair_orders_code_key" UNIQUE("code"),
	CONSTRAINT "repair_orders_severity_check" CHECK ("repair_orders"."severity" IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "repair_orders_status_check" CHECK ("repair_orders"."status" IN ('open', 'diagnosing', 'waiting_parts', 'repaired', 'closed', 'canceled')),
	CONSTRAINT "repair_orders_repair_type_check" CHECK ("repair_orders"."repair_type" IN ('internal', 'vendor'))
);
--> statement-breakpoint
CREATE TABLE "spare_part_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"warehouse_id" uuid,
	"part_id" uuid,
	"movement_type" text NOT NULL,
	"qty" integer NOT NULL,
	"unit_cost" numeric(12, 2),
	"ref_type" text,
	"ref_id" uuid,
	"actor_user_id" text,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "spare_part_movements_movement_type_check" CHECK ("spare_part_movements"."movement_type" IN ('in', 'out', 'adjust_in', 'adjust_out', 'transfer_in', 'transfer_out', 'reserve', 'release')),
	CONSTRAINT "spare_part_movements_qty_check" CHECK ("spare_part_movements"."qty" > 0)
);
--> statement-breakpoint
CREATE TABLE "spare_part_stock" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"warehouse_id" uuid,
	"part_id" uuid,
	"on_hand" integer DEFAULT 0,
	"reserved" integer DEFAULT 0,
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "spare_part_stock_warehouse_id_part_id_key" UNIQUE("warehouse_id","part_id")
);
--> statement-breakpoint
CREATE TABLE "spare_parts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"part_code" text NOT NULL,
	"name" text NOT NULL,
	"category" text,
	"uom" text DEFAULT 'pcs',
	"manufacturer" text,
	"model" text,
	"spec" jsonb DEFAULT '{}'::jsonb,
	"min_level" integer DEFAULT 0,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "spare_parts_part_code_key" UNIQUE("part_code")
);
--> statement-breakpoint
CREATE TABLE "stock_document_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid,
	"part_id" uuid,
	"qty" integer NOT NULL,
	"unit_cost" numeric(12, 2),
	"serial_no" text,
	"note" text,
	"adjust_direction" text,
	CONSTRAINT "stock_document_lines_qty_check" CHECK ("stock_document_lines"."qty" > 0),
	CONSTRAINT "stock_document_lines_adjust_direction_check" CHECK ("stock_document_lines"."adjust_direction" IN ('plus', 'minus'))
);
--> statement-breakpoint
CREATE TABLE "stock_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"doc_type" text NOT NULL,
	"code" text NOT NULL,
	"status" text NOT NULL,
	"warehouse_id" uuid,
	"target_warehouse_id" uuid,
	"doc_date" date DEFAULT CURRENT_DATE,
	"ref_type" text,
	"ref_id" uuid,
	"note" text,
	"created_by" text,
	"approved_by" text,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "stock_documents_code_key" UNIQUE("code"),
	CONSTRAINT "stock_documents_doc_type_check" CHECK ("stock_documents"."doc_type" IN ('receipt', 'issue', 'adjust', 'transfer')),
	CONSTRAINT "stock_documents_status_check" CHECK ("stock_documents"."status" IN ('draft', 'posted', 'canceled'))
);
--> statement-breakpoint
CREATE TABLE "warehouses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"location_id" uuid,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "warehouses_code_key" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"storage_key" text NOT NULL,
	"size_bytes" bigint,
	"version" integer DEFAULT 1,
	"uploaded_by" text,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "attachments_entity_type_check" CHECK ("attachments"."entity_type" IN ('repair_order', 'stock_document'))
);
--> statement-breakpoint
CREATE TABLE "maintenance_tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid,
	"title" varchar(255) NOT NULL,
	"severity" varchar(20) NOT NULL,
	"status" varchar(20) DEFAULT 'open',
	"opened_at" timestamp with time zone DEFAULT now(),
	"closed_at" timestamp with time zone,
	"diagnosis" text,
	"resolution" text,
	"created_by" varchar(255),
	"correlation_id" varchar(100),
	CONSTRAINT "maintenance_tickets_severity_check" CHECK ("maintenance_tickets"."severity" IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "maintenance_tickets_status_check" CHECK ("maintenance_tickets"."status" IN ('open', 'in_progress', 'closed', 'canceled'))
);
--> statement-breakpoint
CREATE TABLE "ops_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb,
	"actor_user_id" text,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reminder_type" text NOT NULL,
	"asset_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"channel" text DEFAULT 'ui',
	"sent_at" timestamp with time zone,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "reminders_reminder_type_check" CHECK ("reminders"."reminder_type" IN ('warranty_expiring', 'maintenance_due')),
	CONSTRAINT "reminders_status_check" CHECK ("reminders"."status" IN ('pending', 'sent', 'canceled'))
);
--> statement-breakpoint
CREATE TABLE "workflow_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_type" text NOT NULL,
	"asset_id" uuid,
	"from_dept" text,
	"to_dept" text,
	"requested_by" text,
	"approved_by" text,
	"status" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "workflow_requests_request_type_check" CHECK ("workflow_requests"."request_type" IN ('assign', 'return', 'move', 'repair', 'dispose')),
	CONSTRAINT "workflow_requests_status_check" CHECK ("workflow_requests"."status" IN ('submitted', 'approved', 'rejected', 'in_progress', 'done', 'canceled'))
);
--> statement-breakpoint
ALTER TABLE "asset_assignments" ADD CONSTRAINT "asset_assignments_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_attachments" ADD CONSTRAINT "asset_attachments_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_category_spec_defs" ADD CONSTRAINT "asset_category_spec_defs_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "public"."asset_category_spec_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_category_spec_versions" ADD CONSTRAINT "asset_category_spec_versions_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "public"."asset_categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_events" ADD CONSTRAINT "asset_events_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_models" ADD CONSTRAINT "asset_models_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "public"."asset_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_models" ADD CONSTRAINT "asset_models_spec_version_id_fkey" FOREIGN KEY ("spec_version_id") REFERENCES "public"."asset_category_spec_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_models" ADD CONSTRAINT "asset_models_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "public"."asset_models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "public"."inventory_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_expected_location_id_fkey" FOREIGN KEY ("expected_location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_scanned_location_id_fkey" FOREIGN KEY ("scanned_location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_sessions" ADD CONSTRAINT "inventory_sessions_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_ci_attr_values" ADD CONSTRAINT "cmdb_ci_attr_values_ci_id_fkey" FOREIGN KEY ("ci_id") REFERENCES "public"."cmdb_cis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_ci_attr_values" ADD CONSTRAINT "cmdb_ci_attr_values_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "public"."cmdb_ci_type_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_ci_type_attr_defs" ADD CONSTRAINT "cmdb_ci_type_attr_defs_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "public"."cmdb_ci_type_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_ci_type_versions" ADD CONSTRAINT "cmdb_ci_type_versions_type_id_fkey" FOREIGN KEY ("type_id") REFERENCES "public"."cmdb_ci_types"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_cis" ADD CONSTRAINT "cmdb_cis_type_id_fkey" FOREIGN KEY ("type_id") REFERENCES "public"."cmdb_ci_types"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_cis" ADD CONSTRAINT "cmdb_cis_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_cis" ADD CONSTRAINT "cmdb_cis_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_relationship_types" ADD CONSTRAINT "cmdb_relationship_types_allowed_from_type_id_fkey" FOREIGN KEY ("allowed_from_type_id") REFERENCES "public"."cmdb_ci_types"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_relationship_types" ADD CONSTRAINT "cmdb_relationship_types_allowed_to_type_id_fkey" FOREIGN KEY ("allowed_to_type_id") REFERENCES "public"."cmdb_ci_types"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_relationships" ADD CONSTRAINT "cmdb_relationships_rel_type_id_fkey" FOREIGN KEY ("rel_type_id") REFERENCES "public"."cmdb_relationship_types"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_relationships" ADD CONSTRAINT "cmdb_relationships_from_ci_id_fkey" FOREIGN KEY ("from_ci_id") REFERENCES "public"."cmdb_cis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_relationships" ADD CONSTRAINT "cmdb_relationships_to_ci_id_fkey" FOREIGN KEY ("to_ci_id") REFERENCES "public"."cmdb_cis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_service_members" ADD CONSTRAINT "cmdb_service_members_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "public"."cmdb_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cmdb_service_members" ADD CONSTRAINT "cmdb_service_members_ci_id_fkey" FOREIGN KEY ("ci_id") REFERENCES "public"."cmdb_cis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_contexts" ADD CONSTRAINT "chat_contexts_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_contexts" ADD CONSTRAINT "chat_contexts_last_message_id_fkey" FOREIGN KEY ("last_message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_order_parts" ADD CONSTRAINT "repair_order_parts_repair_order_id_fkey" FOREIGN KEY ("repair_order_id") REFERENCES "public"."repair_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_order_parts" ADD CONSTRAINT "repair_order_parts_part_id_fkey" FOREIGN KEY ("part_id") REFERENCES "public"."spare_parts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_order_parts" ADD CONSTRAINT "repair_order_parts_warehouse_id_fkey" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_order_parts" ADD CONSTRAINT "repair_order_parts_stock_document_id_fkey" FOREIGN KEY ("stock_document_id") REFERENCES "public"."stock_documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_ci_id_fkey" FOREIGN KEY ("ci_id") REFERENCES "public"."cmdb_cis"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repair_orders" ADD CONSTRAINT "repair_orders_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "public"."vendors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_part_movements" ADD CONSTRAINT "spare_part_movements_warehouse_id_fkey" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_part_movements" ADD CONSTRAINT "spare_part_movements_part_id_fkey" FOREIGN KEY ("part_id") REFERENCES "public"."spare_parts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_part_stock" ADD CONSTRAINT "spare_part_stock_warehouse_id_fkey" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spare_part_stock" ADD CONSTRAINT "spare_part_stock_part_id_fkey" FOREIGN KEY ("part_id") REFERENCES "public"."spare_parts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_document_lines" ADD CONSTRAINT "stock_document_lines_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "public"."stock_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_document_lines" ADD CONSTRAINT "stock_document_lines_part_id_fkey" FOREIGN KEY ("part_id") REFERENCES "public"."spare_parts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_documents" ADD CONSTRAINT "stock_documents_warehouse_id_fkey" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_documents" ADD CONSTRAINT "stock_documents_target_warehouse_id_fkey" FOREIGN KEY ("target_warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warehouses" ADD CONSTRAINT "warehouses_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_tickets" ADD CONSTRAINT "maintenance_tickets_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_requests" ADD CONSTRAINT "workflow_requests_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_asset_events_asset" ON "asset_events" USING btree ("asset_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_assets_status" ON "assets" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_assets_location_id" ON "assets" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "idx_assets_mgmt_ip" ON "assets" USING btree ("mgmt_ip");--> statement-breakpoint
CREATE INDEX "idx_cmdb_cis_type" ON "cmdb_cis" USING btree ("type_id");--> statement-breakpoint
CREATE INDEX "idx_cmdb_cis_asset" ON "cmdb_cis" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "idx_cmdb_relationships_from" ON "cmdb_relationships" USING btree ("from_ci_id");--> statement-breakpoint
CREATE INDEX "idx_conversations_user_id" ON "conversations" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_messages_conversation_id" ON "messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_sessions_token" ON "sessions" USING btree ("token");--> statement-breakpoint
CREATE INDEX "idx_users_email" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "idx_repair_orders_status" ON "repair_orders" USING btree ("status","opened_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_spare_part_stock_lookup" ON "spare_part_stock" USING btree ("warehouse_id","part_id");--> statement-breakpoint
CREATE INDEX "idx_stock_documents_status" ON "stock_documents" USING btree ("status","doc_date" DESC NULLS FIRST);