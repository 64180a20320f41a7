//! the spec, openapi/openapi.json: TIKONNA's blog.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, put, web};
use krika_content::{ListParams, Post, PostInput, PostPatch, Viewer};
use krika_identity::Principal;

use super::multipart::{Form, read_form_with};
use crate::dto::blog::*;
use crate::dto::page::PageQuery;
use crate::dto::reply;
use crate::error::{ApiResult, ErrorResponse};
use crate::extract::{Auth, MaybeAuth};
use crate::state::{AppState, UPLOAD_MAX_BYTES};

/// Room for 100 000 characters of Markdown in any script.
const TEXT_MAX_BYTES: usize = 400 * 1024;

fn viewer(principal: &Principal) -> Viewer {
    Viewer {
        id: principal.user.id,
        is_admin: principal.is_admin(),
    }
}

fn post_reply(state: &AppState, status: StatusCode, post: Post) -> HttpResponse {
    let dto = BlogPostDto::new(post, |key| state.content.public_url(key));
    reply(status, BlogPostResponse::from(dto))
}

/// The text fields and the image of a post form.
async fn read_post_form(multipart: Multipart) -> ApiResult<(Form, Option<Vec<u8>>)> {
    let mut form = read_form_with(multipart, UPLOAD_MAX_BYTES, 1, TEXT_MAX_BYTES)
        .await?
        .only(&["title", "content", "status", "image"])?;
    let image = form.take_file("image");
    Ok((form, image))
}

/// List blog posts
///
/// Published posts, newest first. `search` matches words of the title or content,
/// accent-insensitive (`developpement` finds `Développement`). Admins may list drafts with
/// `status=draft` (their bearer token is optional here): anyone else asking gets 401
/// without a token, 403 with one.
#[utoipa::path(
    tag = "blog",
    operation_id = "listBlogPosts",
    params(PageQuery, BlogFilters),
    security(()),
    responses(
        (status = 200, description = "A page of posts", body = BlogPostListResponse),
        (status = 400, description = "Unparsable query value", body = ErrorResponse),
        (status = 401, description = "Drafts asked for without a token, or an invalid token", body = ErrorResponse),
        (status = 403, description = "Drafts asked for by a non-admin", body = ErrorResponse),
        (status = 422, description = "Out-of-range page or limit, search too long", body = ErrorResponse),
    )
)]
#[get("/blog")]
pub async fn list_blog_posts(
    state: web::Data<AppState>,
    auth: MaybeAuth,
    page: web::Query<PageQuery>,
    filters: web::Query<BlogFilters>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.0.as_ref().map(viewer);
    let filters = filters.into_inner();
    let params = ListParams {
        status: filters
            .status
            .map(|s| krika_content::PostStatus::from(s).as_str().to_owned()),
        search: filters.search,
    };
    let found = state
        .content
        .list(viewer.as_ref(), params, page.request()?)
        .await?;
    let list = BlogPostList::new(found, |post| {
        BlogPostDto::new(post, |key| state.content.public_url(key))
    });
    Ok(reply(StatusCode::OK, BlogPostListResponse::from(list)))
}

/// One blog post
///
/// By its current slug or a former one (a title change made a new slug): the answer
/// carries the current `slug`. Drafts are found by admins only (bearer token optional);
/// anyone else gets 404.
#[utoipa::path(
    tag = "blog",
    operation_id = "getBlogPost",
    params(("slug" = String, Path, description = "Current or former slug")),
    security(()),
    responses(
        (status = 200, description = "The post", body = BlogPostResponse),
        (status = 401, description = "A token was sent and is invalid", body = ErrorResponse),
        (status = 404, description = "No such post, or a draft the caller may not see", body = ErrorResponse),
    )
)]
#[get("/blog/{slug}")]
pub async fn get_blog_post(
    state: web::Data<AppState>,
    auth: MaybeAuth,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.0.as_ref().map(viewer);
    let post = state.content.post(viewer.as_ref(), &path).await?;
    Ok(post_reply(&state, StatusCode::OK, post))
}

/// Write a blog post
///
/// Admins only. Multipart `title`, `content` (Markdown), `status` and an optional cover
/// `image`. The slug comes from the title, accents folded, made unique with `-2`, `-3`…
#[utoipa::path(
    tag = "blog",
    operation_id = "createBlogPost",
    request_body(content = CreateBlogPostRequest, content_type = "multipart/form-data"),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = BlogPostResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin, or `ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 413, description = "An image over 5 MB, or a text field over 400 KB", body = ErrorResponse),
        (status = 415, description = "An image that is not JPEG, PNG or WebP", body = ErrorResponse),
        (status = 422, description = "Invalid fields, each named (`title`, `content`, `status`)", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[post("/blog")]
pub async fn create_blog_post(
    state: web::Data<AppState>,
    auth: Auth,
    multipart: Multipart,
) -> ApiResult<HttpResponse> {
    let (form, image) = read_post_form(multipart).await?;
    let input = PostInput {
        title: form.text("title"),
        content: form.text("content"),
        status: form.text("status"),
    };
    let post = state.content.create(&viewer(&auth.0), input, image).await?;
    Ok(post_reply(&state, StatusCode::CREATED, post))
}

/// Edit a blog post
///
/// Admins only. Multipart, every field optional. A new title gives a new slug (the old one
/// keeps finding the post); `status=published` stamps `publishedAt`, `draft` hides the
/// post again; a new `image` replaces the cover.
#[utoipa::path(
    tag = "blog",
    operation_id = "updateBlogPost",
    params(("slug" = String, Path, description = "Current or former slug")),
    request_body(content = UpdateBlogPostRequest, content_type = "multipart/form-data"),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The updated post, with its current slug", body = BlogPostResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorResponse),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin, or `ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 404, description = "No such post", body = ErrorResponse),
        (status = 413, description = "An image over 5 MB, or a text field over 400 KB", body = ErrorResponse),
        (status = 415, description = "An image that is not JPEG, PNG or WebP", body = ErrorResponse),
        (status = 422, description = "Invalid fields, each named", body = ErrorResponse),
        (status = 429, description = "Rate limited", body = ErrorResponse),
    )
)]
#[put("/blog/{slug}")]
pub async fn update_blog_post(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    multipart: Multipart,
) -> ApiResult<HttpResponse> {
    let (form, image) = read_post_form(multipart).await?;
    let patch = PostPatch {
        title: form.text("title"),
        content: form.text("content"),
        status: form.text("status"),
    };
    let post = state
        .content
        .update(&viewer(&auth.0), &path, patch, image)
        .await?;
    Ok(post_reply(&state, StatusCode::OK, post))
}

/// Delete a blog post
///
/// Admins only. The post, its former slugs and its image go.
#[utoipa::path(
    tag = "blog",
    operation_id = "deleteBlogPost",
    params(("slug" = String, Path, description = "Current or former slug")),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid token", body = ErrorResponse),
        (status = 403, description = "Not an admin, or `ACCOUNT_SUSPENDED`", body = ErrorResponse),
        (status = 404, description = "No such post", body = ErrorResponse),
    )
)]
#[delete("/blog/{slug}")]
pub async fn delete_blog_post(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    state.content.delete(&viewer(&auth.0), &path).await?;
    Ok(HttpResponse::NoContent().finish())
}
