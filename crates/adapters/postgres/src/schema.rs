//! Table definitions, kept in step with `migrations/` (a test selects every column of
//! every table from a migrated database). Generated search columns of `services`
//! (`search_document`, `fuzzy_text`) are left out: only raw SQL fragments read them.

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        username -> Text,
        name -> Text,
        bio -> Nullable<Text>,
        phone -> Nullable<Text>,
        avatar_key -> Nullable<Text>,
        password_hash -> Text,
        role -> Text,
        status -> Text,
        kyc_status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
        suspended_reason -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        session_id -> Uuid,
        token_digest -> Bytea,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_digest -> Bytea,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    kyc_submissions (user_id) {
        user_id -> Uuid,
        first_name -> Text,
        last_name -> Text,
        date_of_birth -> Date,
        country -> Text,
        phone -> Text,
        document_type -> Nullable<Text>,
        document_front_key -> Nullable<Text>,
        document_back_key -> Nullable<Text>,
        selfie_key -> Nullable<Text>,
        rejection_reason -> Nullable<Text>,
        step1_at -> Timestamptz,
        submitted_at -> Nullable<Timestamptz>,
        reviewed_at -> Nullable<Timestamptz>,
        reviewed_by -> Nullable<Uuid>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    categories (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        description -> Text,
        parent_id -> Nullable<Uuid>,
        position -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    services (id) {
        id -> Uuid,
        seller_id -> Uuid,
        category_id -> Uuid,
        slug -> Text,
        title -> Text,
        short_description -> Text,
        description -> Text,
        tags -> Array<Text>,
        tags_text -> Text,
        packages -> Jsonb,
        extras -> Jsonb,
        starting_price -> Int8,
        currency -> Text,
        status -> Text,
        rejection_reason -> Nullable<Text>,
        is_available -> Bool,
        rating_total -> Int8,
        reviews_count -> Int4,
        orders_count -> Int4,
        /// Generated: rating_total / reviews_count, 0 without reviews.
        rating_avg -> Float8,
        submitted_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    service_images (id) {
        id -> Uuid,
        service_id -> Uuid,
        storage_key -> Text,
        position -> Int4,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(kyc_submissions -> users (user_id));
diesel::joinable!(services -> users (seller_id));
diesel::joinable!(services -> categories (category_id));
diesel::joinable!(service_images -> services (service_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(password_resets -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    refresh_tokens,
    password_resets,
    kyc_submissions,
    categories,
    services,
    service_images,
);
