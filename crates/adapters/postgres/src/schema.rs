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
        seller_rating_total -> Int8,
        seller_reviews_count -> Int8,
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

diesel::table! {
    offers (id) {
        id -> Uuid,
        title -> Text,
        description -> Text,
        code -> Nullable<Text>,
        discount_percent -> Int4,
        start_date -> Date,
        end_date -> Date,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    orders (id) {
        id -> Uuid,
        number -> Text,
        status -> Text,
        buyer_id -> Uuid,
        seller_id -> Uuid,
        service_id -> Uuid,
        service_title -> Text,
        service_slug -> Text,
        package -> Jsonb,
        extras -> Jsonb,
        requirements -> Text,
        subtotal -> Int8,
        extras_total -> Int8,
        discount -> Int8,
        total -> Int8,
        commission -> Int8,
        currency -> Text,
        offer_id -> Nullable<Uuid>,
        payment_method -> Text,
        delivery_days -> Int4,
        due_at -> Nullable<Timestamptz>,
        revisions_allowed -> Int4,
        revisions_used -> Int4,
        delivered_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        request_key -> Nullable<Text>,
    }
}

diesel::table! {
    order_deliveries (id) {
        id -> Uuid,
        order_id -> Uuid,
        message -> Text,
        files -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    order_history (id) {
        id -> Int8,
        order_id -> Uuid,
        from_status -> Nullable<Text>,
        to_status -> Text,
        by_user -> Nullable<Uuid>,
        reason -> Nullable<Text>,
        at -> Timestamptz,
    }
}

diesel::table! {
    payouts (id) {
        id -> Uuid,
        user_id -> Uuid,
        amount -> Int8,
        currency -> Text,
        method -> Text,
        destination -> Jsonb,
        status -> Text,
        rejection_reason -> Nullable<Text>,
        created_at -> Timestamptz,
        processed_at -> Nullable<Timestamptz>,
        request_key -> Nullable<Text>,
    }
}

diesel::table! {
    ledger_accounts (id) {
        id -> Int8,
        kind -> Text,
        owner_id -> Uuid,
        balance -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> Uuid,
        transaction_id -> Uuid,
        account_id -> Int8,
        amount -> Int8,
        balance_after -> Nullable<Int8>,
        entry_type -> Text,
        order_id -> Nullable<Uuid>,
        payout_id -> Nullable<Uuid>,
        description -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reviews (id) {
        id -> Uuid,
        order_id -> Uuid,
        service_id -> Uuid,
        seller_id -> Uuid,
        buyer_id -> Uuid,
        rating -> Int2,
        communication -> Int2,
        quality -> Int2,
        delivery -> Int2,
        comment -> Text,
        response -> Nullable<Text>,
        responded_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (scope, key) {
        scope -> Text,
        key -> Text,
        fingerprint -> Text,
        status_code -> Nullable<Int4>,
        response_body -> Nullable<Bytea>,
        created_at -> Timestamptz,
        attempt -> Text,
    }
}

diesel::table! {
    outbox_events (id) {
        id -> Uuid,
        event_type -> Text,
        subject_id -> Uuid,
        payload -> Jsonb,
        created_at -> Timestamptz,
        published_at -> Nullable<Timestamptz>,
        attempts -> Integer,
        next_attempt_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Uuid,
        url -> Text,
        events -> Array<Text>,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_until -> Nullable<Timestamptz>,
        failing_since -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        endpoint_id -> Uuid,
        event_id -> Nullable<Uuid>,
        event_type -> Text,
        payload -> Jsonb,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamptz>,
        locked_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Uuid,
        delivery_id -> Uuid,
        at -> Timestamptz,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> BigInt,
        response_body -> Nullable<Text>,
    }
}

diesel::table! {
    outbox_handled (event_id, subscriber) {
        event_id -> Uuid,
        subscriber -> Text,
        handled_at -> Timestamptz,
    }
}

diesel::table! {
    conversations (id) {
        id -> Uuid,
        user_low -> Uuid,
        user_high -> Uuid,
        order_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_message_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    conversation_members (conversation_id, user_id) {
        conversation_id -> Uuid,
        user_id -> Uuid,
        unread_count -> Integer,
        updated_at -> Timestamptz,
        first_unread_at -> Nullable<Timestamptz>,
        last_unread_at -> Nullable<Timestamptz>,
        reminded_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    messages (id) {
        id -> Uuid,
        conversation_id -> Uuid,
        sender_id -> Uuid,
        content -> Text,
        masked -> Bool,
        attachments -> Jsonb,
        created_at -> Timestamptz,
        read_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        title -> Text,
        body -> Text,
        data -> Jsonb,
        source_event -> Uuid,
        created_at -> Timestamptz,
        read_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    blog_posts (id) {
        id -> Uuid,
        slug -> Text,
        title -> Text,
        content -> Text,
        content_html -> Text,
        excerpt -> Text,
        status -> Text,
        image_key -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        published_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    blog_former_slugs (slug) {
        slug -> Text,
        post_id -> Uuid,
        replaced_at -> Timestamptz,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(outbox_handled -> outbox_events (event_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(conversation_members -> conversations (conversation_id));
diesel::joinable!(messages -> conversations (conversation_id));
diesel::joinable!(kyc_submissions -> users (user_id));
diesel::joinable!(services -> users (seller_id));
diesel::joinable!(services -> categories (category_id));
diesel::joinable!(service_images -> services (service_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(order_deliveries -> orders (order_id));
diesel::joinable!(order_history -> orders (order_id));
diesel::joinable!(ledger_entries -> ledger_accounts (account_id));
diesel::joinable!(reviews -> users (buyer_id));
diesel::joinable!(blog_former_slugs -> blog_posts (post_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    refresh_tokens,
    password_resets,
    kyc_submissions,
    categories,
    services,
    service_images,
    offers,
    orders,
    order_deliveries,
    order_history,
    payouts,
    ledger_accounts,
    ledger_entries,
    reviews,
    idempotency_keys,
    outbox_events,
    outbox_handled,
    conversations,
    conversation_members,
    messages,
    notifications,
    webhook_endpoints,
    webhook_deliveries,
    webhook_attempts,
    blog_posts,
    blog_former_slugs,
);
