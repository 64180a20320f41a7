DROP TABLE IF EXISTS blog_former_slugs;
DROP TABLE IF EXISTS blog_posts;
