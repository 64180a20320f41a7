-- The try a claim stands for (IdempotencyStart::Proceed): the card provider's idempotency
-- key, kept when a stale claim is taken over so the retry finds the dead request's charge.
ALTER TABLE idempotency_keys ADD COLUMN attempt text NOT NULL DEFAULT gen_random_uuid()::text;
ALTER TABLE idempotency_keys ALTER COLUMN attempt DROP DEFAULT;
