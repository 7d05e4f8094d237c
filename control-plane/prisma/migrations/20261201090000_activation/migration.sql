-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN     "activatedAt" TIMESTAMP(3),
ADD COLUMN     "activeVersionId" TEXT;

-- CreateTable
CREATE TABLE "WebhookRoute" (
    "id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookRoute_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookRoute_workflowId_idx" ON "WebhookRoute"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookRoute_method_pattern_key" ON "WebhookRoute"("method", "pattern");

-- CreateIndex
CREATE UNIQUE INDEX "Workflow_activeVersionId_key" ON "Workflow"("activeVersionId");

-- AddForeignKey
ALTER TABLE "Workflow" ADD CONSTRAINT "Workflow_activeVersionId_fkey" FOREIGN KEY ("activeVersionId") REFERENCES "WorkflowVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookRoute" ADD CONSTRAINT "WebhookRoute_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

