DROP INDEX messages_sender_idx;
DROP INDEX conversations_user_high_idx;
DROP INDEX reviews_seller_idx;
DROP INDEX reviews_buyer_idx;
DROP INDEX ledger_entries_payout_idx;
DROP INDEX order_history_by_user_idx;
DROP INDEX orders_service_idx;
DROP INDEX kyc_submissions_reviewed_by_idx;
