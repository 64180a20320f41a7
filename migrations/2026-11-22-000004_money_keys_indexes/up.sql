-- Idempotency keys kept with the orders and payouts they created; indexes for queries
-- the money side runs that 000003 left to scans.

-- DELETE /offers/{id} sets orders.offer_id to NULL: without this it reads every order.
CREATE INDEX orders_offer_idx ON orders (offer_id) WHERE offer_id IS NOT NULL;

-- GET /wallet: the seller's share of orders paid and not settled, answered from the index.
CREATE INDEX orders_seller_open_idx ON orders (seller_id)
    INCLUDE (subtotal, extras_total, commission)
    WHERE status IN ('pending', 'in_progress', 'delivered', 'disputed');

-- GET /admin/payouts without a status: every payout, oldest first.
CREATE INDEX payouts_created_idx ON payouts (created_at, id);

-- The Idempotency-Key an order or payout was created under: a retry whose stored answer
-- was lost (the process died after the commit) finds the first one instead of paying again.
ALTER TABLE orders ADD COLUMN request_key text;
CREATE UNIQUE INDEX orders_request_key_idx ON orders (buyer_id, request_key)
    WHERE request_key IS NOT NULL;
ALTER TABLE payouts ADD COLUMN request_key text;
CREATE UNIQUE INDEX payouts_request_key_idx ON payouts (user_id, request_key)
    WHERE request_key IS NOT NULL;
