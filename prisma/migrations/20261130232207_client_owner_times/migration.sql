-- AlterTable
ALTER TABLE "document_client_owners" ADD COLUMN     "times" TEXT NOT NULL DEFAULT '[]';
