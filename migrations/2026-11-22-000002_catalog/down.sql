DROP TABLE IF EXISTS service_images;
DROP TABLE IF EXISTS services;
DROP TABLE IF EXISTS categories;
DROP TABLE IF EXISTS kyc_submissions;
DROP INDEX IF EXISTS users_kyc_queue_idx;
DROP INDEX IF EXISTS users_role_idx;
DROP INDEX IF EXISTS users_search_trgm_idx;
ALTER TABLE users DROP COLUMN IF EXISTS suspended_reason;
DROP FUNCTION IF EXISTS krika_fold(text);
