-- AuditEvent: project, request id, before/after hashes, and an insertion order for cursors.
ALTER TABLE "AuditEvent" ADD COLUMN "seq" BIGSERIAL NOT NULL,
ADD COLUMN "project" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN "requestId" TEXT,
ADD COLUMN "beforeHash" TEXT,
ADD COLUMN "afterHash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_seq_key" ON "AuditEvent"("seq");

-- CreateIndex
CREATE INDEX "AuditEvent_project_seq_idx" ON "AuditEvent"("project", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_action_seq_idx" ON "AuditEvent"("action", "seq");

-- Append-only in the database itself, not only in the API: whoever holds the control plane's
-- connection (a bug, an injected query, a person with psql) cannot rewrite or erase the log.
-- Dropping the trigger needs the table's owner, and is itself a migration anyone can see.
-- Prisma's pg adapter runs a migration split at every semicolon (even in comments and strings),
-- so the body is an E-string whose one statement ends in \073, a semicolon in octal.
CREATE FUNCTION "flowforge_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  RAISE EXCEPTION ''AuditEvent is append-only: % is refused'', TG_OP
    USING ERRCODE = ''insufficient_privilege'',
          HINT = ''audit events are never changed or deleted: write a new event instead''\073
END
';

CREATE TRIGGER "AuditEvent_no_update_delete" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "flowforge_audit_append_only"();

CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "flowforge_audit_append_only"();
