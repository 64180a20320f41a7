//! The OWASP API Security Top 10 (2023), one module per risk, against the real app. Each
//! asks the question an attacker would and checks the refusal, and that the rightful caller
//! still gets in. Where the spec lists what to try (every operation, every admin route), the
//! tests walk the spec, so a new route is covered the day it is documented.

mod api10_unsafe_consumption;
mod api1_object_level;
mod api2_authentication;
mod api3_property_level;
mod api4_resource_consumption;
mod api5_function_level;
mod api6_business_flows;
mod api7_ssrf;
mod api8_misconfiguration;
mod api9_inventory;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp};

/// One documented operation.
pub(crate) struct Operation {
    pub method: Method,
    /// As documented: `/api/v1/orders/{orderId}`.
    pub path: String,
    /// Whether the spec asks for a bearer token.
    pub secured: bool,
    multipart: bool,
    json: bool,
}

/// Every operation of the spec the server serves.
pub(crate) fn operations() -> Vec<Operation> {
    let document = serde_json::to_value(krika_api::openapi::document()).unwrap();
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let content = &operation["requestBody"]["content"];
            operations.push(Operation {
                method,
                path: path.clone(),
                secured: operation["security"] != json!([]),
                multipart: content.get("multipart/form-data").is_some(),
                json: content.get("application/json").is_some(),
            });
        }
    }
    operations
}

impl Operation {
    /// The path with every parameter an id nobody holds (a slug for `{slug}`).
    pub fn concrete(&self) -> String {
        self.path
            .split('/')
            .map(|segment| match segment {
                "{slug}" => "rien-de-tel".to_owned(),
                s if s.starts_with('{') => uuid::Uuid::now_v7().to_string(),
                s => s.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Calls the operation with a minimal body of the documented kind.
    pub async fn call(&self, app: &TestApp, token: Option<&str>) -> Reply {
        let mut request = app
            .client
            .request(self.method.clone(), app.url(&self.concrete()));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if self.json {
            request = request.json(&Value::Object(Default::default()));
        } else if self.multipart {
            let form = reqwest::multipart::Form::new().text("title", "Essai");
            request = request.multipart(form);
        }
        app.send(request).await
    }

    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}
