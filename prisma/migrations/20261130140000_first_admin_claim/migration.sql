-- "The first account becomes the admin", made atomic. The sign-up hook cannot lock across
-- its count and Better Auth's insert (two concurrent first sign-ups both counted zero and both
-- became admin), so the decision is taken here, inside the insert's own transaction: a row
-- arriving with a claim role takes a transaction-scoped advisory lock (held until commit, so
-- concurrent claims run one after the other) and becomes 'admin' only when no other account
-- exists. Otherwise: 'first-admin-or-member' (SIGNUP=open) becomes a plain 'member';
-- 'first-admin-claim' (SIGNUP=invite) fails with SQLSTATE 'CA001' and the sign-up is refused,
-- as it was let in without an invitation only because it looked like the first.
CREATE FUNCTION claim_first_admin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.role IN ('first-admin-claim', 'first-admin-or-member') THEN
    PERFORM pg_advisory_xact_lock(hashtext('collab:first-admin'));
    IF NOT EXISTS (SELECT 1 FROM "users" WHERE "id" <> NEW."id") THEN
      NEW.role := 'admin';
    ELSIF NEW.role = 'first-admin-or-member' THEN
      NEW.role := 'member';
    ELSE
      RAISE EXCEPTION 'the first account already exists' USING ERRCODE = 'CA001';
    END IF;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER users_claim_first_admin
  BEFORE INSERT ON "users"
  FOR EACH ROW EXECUTE FUNCTION claim_first_admin();
