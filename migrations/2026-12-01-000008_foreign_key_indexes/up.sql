-- Every foreign key gets an index on its referencing columns: deleting or updating the
-- referenced row (and joins from it) then never scans the referencing table. A test checks
-- that none is missing.
CREATE INDEX kyc_submissions_reviewed_by_idx ON kyc_submissions (reviewed_by);
CREATE INDEX orders_service_idx ON orders (service_id);
CREATE INDEX order_history_by_user_idx ON order_history (by_user);
CREATE INDEX ledger_entries_payout_idx ON ledger_entries (payout_id) WHERE payout_id IS NOT NULL;
CREATE INDEX reviews_buyer_idx ON reviews (buyer_id);
CREATE INDEX reviews_seller_idx ON reviews (seller_id);
CREATE INDEX conversations_user_high_idx ON conversations (user_high);
CREATE INDEX messages_sender_idx ON messages (sender_id);
