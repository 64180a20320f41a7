-- Indexes for queries the money side runs that 000003 left to scans.

-- DELETE /offers/{id} sets orders.offer_id to NULL: without this it reads every order.
CREATE INDEX orders_offer_idx ON orders (offer_id) WHERE offer_id IS NOT NULL;

-- GET /wallet: the seller's share of orders paid and not settled, answered from the index.
CREATE INDEX orders_seller_open_idx ON orders (seller_id)
    INCLUDE (subtotal, extras_total, commission)
    WHERE status IN ('pending', 'in_progress', 'delivered', 'disputed');

-- GET /admin/payouts without a status: every payout, oldest first.
CREATE INDEX payouts_created_idx ON payouts (created_at, id);
