-- CreateTable
CREATE TABLE "ApprovalLinkUse" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalLinkUse_pkey" PRIMARY KEY ("id")
);

