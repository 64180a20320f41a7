DROP INDEX IF EXISTS payouts_request_key_idx;
ALTER TABLE payouts DROP COLUMN IF EXISTS request_key;
DROP INDEX IF EXISTS orders_request_key_idx;
ALTER TABLE orders DROP COLUMN IF EXISTS request_key;
DROP INDEX IF EXISTS payouts_created_idx;
DROP INDEX IF EXISTS orders_seller_open_idx;
DROP INDEX IF EXISTS orders_offer_idx;
