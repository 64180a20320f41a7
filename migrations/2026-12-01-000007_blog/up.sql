-- TIKONNA's blog: posts in Markdown with their rendered, sanitised HTML, and the slugs
-- posts had before a title change (they keep finding the post).

CREATE TABLE blog_posts (
    id              uuid PRIMARY KEY,
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title           text NOT NULL,
    content         text NOT NULL,
    -- rendered at write time, so reads never run Markdown or the sanitiser
    content_html    text NOT NULL,
    excerpt         text NOT NULL,
    status          text NOT NULL CHECK (status IN ('draft', 'published')),
    image_key       text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    published_at    timestamptz,
    CHECK ((status = 'published') = (published_at IS NOT NULL)),
    -- accents folded on both sides of a search, French stemming
    search_document tsvector GENERATED ALWAYS AS (
        to_tsvector('french', krika_fold(title || ' ' || content))
    ) STORED
);

-- The public list: published posts, newest first.
CREATE INDEX blog_posts_published_idx ON blog_posts (published_at DESC, id DESC)
    WHERE status = 'published';
-- The admins' list of drafts, last edited first.
CREATE INDEX blog_posts_drafts_idx ON blog_posts (updated_at DESC, id DESC)
    WHERE status = 'draft';
CREATE INDEX blog_posts_search_idx ON blog_posts USING gin (search_document);

CREATE TABLE blog_former_slugs (
    slug        text PRIMARY KEY,
    post_id     uuid NOT NULL REFERENCES blog_posts (id) ON DELETE CASCADE,
    replaced_at timestamptz NOT NULL
);
CREATE INDEX blog_former_slugs_post_idx ON blog_former_slugs (post_id);
