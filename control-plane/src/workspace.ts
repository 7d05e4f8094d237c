import type { PrismaClient } from './database.ts';

export const DEFAULT_WORKSPACE = 'default';
export const DEFAULT_PROJECT = 'default';

/** The default workspace and project, created on first start (idempotent: upserts on their unique names). */
export async function ensureDefaultProject(prisma: PrismaClient): Promise<{ projectId: string }> {
  const workspace = await prisma.workspace.upsert({
    where: { name: DEFAULT_WORKSPACE },
    create: { name: DEFAULT_WORKSPACE },
    update: {},
  });
  const project = await prisma.project.upsert({
    where: { workspaceId_name: { workspaceId: workspace.id, name: DEFAULT_PROJECT } },
    create: { workspaceId: workspace.id, name: DEFAULT_PROJECT },
    update: {},
  });
  return { projectId: project.id };
}
