-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WorkflowVersion" ADD COLUMN     "actor" TEXT,
ADD COLUMN     "message" TEXT;

-- Who pushed the versions stored before this column existed: their workflow.push audit event says.
UPDATE "WorkflowVersion" AS v
SET "actor" = a."actor"
FROM "Workflow" AS w, "AuditEvent" AS a
WHERE w."id" = v."workflowId"
  AND a."action" = 'workflow.push'
  AND a."target" = 'workflow:' || w."name" || '@' || v."version";
