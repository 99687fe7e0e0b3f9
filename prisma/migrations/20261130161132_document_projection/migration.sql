-- AlterTable
ALTER TABLE "documents" ADD COLUMN     "content_text" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "last_editor_id" TEXT,
ADD COLUMN     "projected_at" TIMESTAMPTZ(3);

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_last_editor_id_fkey" FOREIGN KEY ("last_editor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
