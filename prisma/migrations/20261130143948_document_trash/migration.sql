-- AlterTable
ALTER TABLE "documents" ADD COLUMN     "trashed_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "documents_trashed_at_idx" ON "documents"("trashed_at");
