ALTER TABLE users DROP COLUMN seller_rating_total, DROP COLUMN seller_reviews_count;
