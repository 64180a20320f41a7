DROP INDEX IF EXISTS payouts_created_idx;
DROP INDEX IF EXISTS orders_seller_open_idx;
DROP INDEX IF EXISTS orders_offer_idx;
