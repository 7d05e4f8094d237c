-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "roles" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "user" TEXT;


-- The local admin key (written to cli-config.json by npm start) acts as user "admin" with the admin role.
UPDATE "ApiKey" SET "user" = 'admin', "roles" = ARRAY['admin'] WHERE "name" = 'local-admin';
