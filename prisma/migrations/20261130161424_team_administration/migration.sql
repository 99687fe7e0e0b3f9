-- AlterTable
ALTER TABLE "users" ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "invitations" ADD COLUMN     "document_id" TEXT,
ADD COLUMN     "document_role" TEXT,
ADD COLUMN     "invited_by_id" TEXT,
ADD COLUMN     "revoked_at" TIMESTAMPTZ(3);
