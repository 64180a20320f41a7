-- Every service page shows its seller's rating. It is stored on the seller's row, kept by
-- the statements that change it (a review adds its stars, deleting a service takes its
-- reviews away), instead of being summed over the seller's services on each request.
ALTER TABLE users
    ADD COLUMN seller_rating_total bigint NOT NULL DEFAULT 0,
    ADD COLUMN seller_reviews_count bigint NOT NULL DEFAULT 0;

UPDATE users u
SET seller_rating_total = s.total, seller_reviews_count = s.count
FROM (
    SELECT seller_id, sum(rating_total) AS total, sum(reviews_count) AS count
    FROM services WHERE deleted_at IS NULL GROUP BY seller_id
) s
WHERE u.id = s.seller_id;
