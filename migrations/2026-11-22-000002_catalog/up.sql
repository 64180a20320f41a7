-- Sellers and catalog: KYC submissions, categories, services and their images.
-- Search folds accents (unaccent) and tolerates typos (pg_trgm); both extensions are
-- trusted, so the database owner may create them (make test pre-installs them anyway).

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could change), which generated columns and
-- expression indexes refuse; this wrapper names the dictionary and is declared IMMUTABLE,
-- the usual way to index unaccented text.
CREATE FUNCTION krika_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1));

-- Users: why a suspension happened, and what the admin lists filter on.
ALTER TABLE users ADD COLUMN suspended_reason text;
CREATE INDEX users_kyc_queue_idx ON users (kyc_status) WHERE deleted_at IS NULL;
CREATE INDEX users_role_idx ON users (role, created_at) WHERE deleted_at IS NULL;
CREATE INDEX users_search_trgm_idx ON users
    USING gin ((krika_fold(email || ' ' || username || ' ' || name)) gin_trgm_ops);

-- One KYC file per user; its status is users.kyc_status (one source of truth).
CREATE TABLE kyc_submissions (
    user_id             uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    first_name          text NOT NULL,
    last_name           text NOT NULL,
    date_of_birth       date NOT NULL,
    country             text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    phone               text NOT NULL,
    document_type       text CHECK (document_type IN ('passport', 'national_id', 'driver_license')),
    document_front_key  text,
    document_back_key   text,
    selfie_key          text,
    rejection_reason    text,
    step1_at            timestamptz NOT NULL,
    submitted_at        timestamptz,
    reviewed_at         timestamptz,
    reviewed_by         uuid REFERENCES users (id),
    updated_at          timestamptz NOT NULL
);
CREATE INDEX kyc_submissions_submitted_idx ON kyc_submissions (submitted_at);

CREATE TABLE categories (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    parent_id   uuid REFERENCES categories (id) ON DELETE RESTRICT,
    position    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX categories_parent_idx ON categories (parent_id);

CREATE TABLE services (
    id                  uuid PRIMARY KEY,
    seller_id           uuid NOT NULL REFERENCES users (id),
    category_id         uuid NOT NULL REFERENCES categories (id),
    slug                text NOT NULL,
    title               text NOT NULL,
    short_description   text NOT NULL,
    description         text NOT NULL,
    tags                text[] NOT NULL DEFAULT '{}',
    -- tags joined by spaces, kept by the adapter: array_to_string is not immutable, and
    -- the generated search columns below need an immutable input.
    tags_text           text NOT NULL DEFAULT '',
    -- packages and extras are always read and written whole with their service; each
    -- element carries its own id, which orders snapshot.
    packages            jsonb NOT NULL CHECK (jsonb_typeof(packages) = 'array'),
    extras              jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(extras) = 'array'),
    starting_price      bigint NOT NULL CHECK (starting_price >= 0),
    currency            text NOT NULL,
    status              text NOT NULL DEFAULT 'pending_review'
                        CHECK (status IN ('pending_review', 'approved', 'rejected')),
    rejection_reason    text,
    is_available        boolean NOT NULL DEFAULT true,
    -- filled by orders and reviews: sum of stars and count, so the average stays exact
    rating_total        bigint NOT NULL DEFAULT 0,
    reviews_count       integer NOT NULL DEFAULT 0,
    orders_count        integer NOT NULL DEFAULT 0,
    rating_avg          double precision GENERATED ALWAYS AS (
        CASE WHEN reviews_count > 0 THEN rating_total::double precision / reviews_count ELSE 0 END
    ) STORED,
    submitted_at        timestamptz NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    deleted_at          timestamptz,
    search_document     tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('french', krika_fold(title)), 'A') ||
        setweight(to_tsvector('french', krika_fold(tags_text)), 'A') ||
        setweight(to_tsvector('french', krika_fold(short_description)), 'B') ||
        setweight(to_tsvector('french', krika_fold(description)), 'C')
    ) STORED,
    fuzzy_text          text GENERATED ALWAYS AS (krika_fold(title || ' ' || tags_text)) STORED
);

CREATE UNIQUE INDEX services_slug_live_key ON services (slug) WHERE deleted_at IS NULL;
CREATE INDEX services_seller_idx ON services (seller_id) WHERE deleted_at IS NULL;
-- The public catalogue only ever reads approved, available, live services: partial
-- indexes keep every public filter and sort on an index.
CREATE INDEX services_public_created_idx ON services (created_at, id)
    WHERE status = 'approved' AND is_available AND deleted_at IS NULL;
CREATE INDEX services_public_price_idx ON services (starting_price, id)
    WHERE status = 'approved' AND is_available AND deleted_at IS NULL;
CREATE INDEX services_public_rating_idx ON services (rating_avg, id)
    WHERE status = 'approved' AND is_available AND deleted_at IS NULL;
CREATE INDEX services_public_category_idx ON services (category_id, created_at) INCLUDE (seller_id)
    WHERE status = 'approved' AND is_available AND deleted_at IS NULL;
CREATE INDEX services_public_search_idx ON services USING gin (search_document)
    WHERE status = 'approved' AND is_available AND deleted_at IS NULL;
CREATE INDEX services_public_fuzzy_idx ON services USING gin (fuzzy_text gin_trgm_ops)
    WHERE status = 'approved' AND is_available AND deleted_at IS NULL;
CREATE INDEX services_public_tags_idx ON services USING gin (tags)
    WHERE status = 'approved' AND is_available AND deleted_at IS NULL;
-- The moderation queue: oldest submission first.
CREATE INDEX services_moderation_idx ON services (status, submitted_at) WHERE deleted_at IS NULL;

CREATE TABLE service_images (
    id          uuid PRIMARY KEY,
    service_id  uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    storage_key text NOT NULL,
    position    integer NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX service_images_service_idx ON service_images (service_id, position);

-- The default category tree: what French-speaking West Africa buys online.
WITH tree (slug, name, description, parent, position) AS (VALUES
    ('graphisme-design', 'Graphisme et design', 'Logos, identité visuelle, illustrations, maquettes', NULL, 1),
    ('logo-identite-visuelle', 'Logo et identité visuelle', 'Logos, chartes graphiques, cartes de visite', 'graphisme-design', 1),
    ('design-web-mobile', 'Design web et mobile', 'Maquettes UI/UX, prototypes Figma', 'graphisme-design', 2),
    ('illustration', 'Illustration', 'Dessins, personnages, illustrations numériques', 'graphisme-design', 3),
    ('print-packaging', 'Print et packaging', 'Flyers, affiches, emballages, kakémonos', 'graphisme-design', 4),
    ('programmation-tech', 'Programmation et tech', 'Sites web, applications, logiciels, maintenance', NULL, 2),
    ('developpement-web', 'Développement web', 'Sites vitrines, boutiques en ligne, WordPress', 'programmation-tech', 1),
    ('applications-mobiles', 'Applications mobiles', 'Android, iOS, Flutter, React Native', 'programmation-tech', 2),
    ('paiement-mobile-integration', 'Intégration paiement mobile', 'Orange Money, Wave, MTN MoMo, Moov Money', 'programmation-tech', 3),
    ('support-it', 'Support informatique', 'Dépannage, réseaux, installation de logiciels', 'programmation-tech', 4),
    ('redaction-traduction', 'Rédaction et traduction', 'Articles, contenus web, traductions, relecture', NULL, 3),
    ('redaction-web', 'Rédaction web', 'Articles de blog, fiches produits, SEO', 'redaction-traduction', 1),
    ('traduction', 'Traduction', 'Français, anglais, wolof, bambara, dioula, haoussa', 'redaction-traduction', 2),
    ('cv-lettres', 'CV et lettres de motivation', 'CV, lettres, profils LinkedIn', 'redaction-traduction', 3),
    ('marketing-digital', 'Marketing digital', 'Réseaux sociaux, publicité, référencement', NULL, 4),
    ('reseaux-sociaux', 'Gestion des réseaux sociaux', 'Community management Facebook, Instagram, TikTok', 'marketing-digital', 1),
    ('referencement-seo', 'Référencement (SEO)', 'Audit, mots-clés, netlinking', 'marketing-digital', 2),
    ('publicite-en-ligne', 'Publicité en ligne', 'Campagnes Facebook Ads et Google Ads', 'marketing-digital', 3),
    ('video-animation', 'Vidéo et animation', 'Montage, motion design, spots publicitaires', NULL, 5),
    ('montage-video', 'Montage vidéo', 'Vidéos YouTube, mariages, événements', 'video-animation', 1),
    ('motion-design', 'Motion design', 'Animations 2D, intros, logos animés', 'video-animation', 2),
    ('musique-audio', 'Musique et audio', 'Production, mixage, voix off, jingles', NULL, 6),
    ('production-musicale', 'Production musicale', 'Beats afrobeat, coupé-décalé, mixage et mastering', 'musique-audio', 1),
    ('voix-off', 'Voix off', 'Voix off en français et en langues locales', 'musique-audio', 2),
    ('business', 'Business', 'Plans d''affaires, comptabilité, conseil juridique', NULL, 7),
    ('business-plan', 'Plan d''affaires', 'Business plans, études de marché, dossiers de financement', 'business', 1),
    ('comptabilite-fiscalite', 'Comptabilité et fiscalité', 'Tenue de comptes, déclarations, normes SYSCOHADA', 'business', 2),
    ('assistance-virtuelle', 'Assistance virtuelle', 'Saisie de données, gestion d''agenda, service client', 'business', 3),
    ('formation-cours', 'Formation et cours', 'Cours particuliers, soutien scolaire, coaching', NULL, 8),
    ('cours-particuliers', 'Cours particuliers', 'Mathématiques, langues, préparation aux examens', 'formation-cours', 1)
), roots AS (
    INSERT INTO categories (id, slug, name, description, parent_id, position, created_at, updated_at)
    SELECT gen_random_uuid(), slug, name, description, NULL, position, now(), now()
    FROM tree WHERE parent IS NULL
    RETURNING id, slug
)
INSERT INTO categories (id, slug, name, description, parent_id, position, created_at, updated_at)
SELECT gen_random_uuid(), t.slug, t.name, t.description, r.id, t.position, now(), now()
FROM tree t JOIN roots r ON r.slug = t.parent;
