//! Response fields that are always sent are `required`, so a generated client types them
//! `T | null` (two states), not `T | null | undefined` (three).
//!
//! serde writes every `Option` field, `null` when it is empty, unless the field says
//! `skip_serializing_if` — and those fields say `#[schema(nullable = false)]` too. So in a
//! schema that only responses use, a nullable property is a property always present. Request
//! schemas are left alone: there an optional field may be omitted.

use std::collections::BTreeSet;

use serde_json::Value;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi as Document, RefOr};

const SCHEMA_REF: &str = "#/components/schemas/";

/// Lists nullable properties as required in the schemas responses alone reach.
pub fn declare(document: &mut Document) {
    let json = serde_json::to_value(&*document).expect("the document serialises");
    let schemas = &json["components"]["schemas"];
    let (mut requests, mut responses) = (BTreeSet::new(), BTreeSet::new());
    for item in json["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
            collect(&operation["requestBody"], &mut requests);
            collect(&operation["responses"], &mut responses);
        }
    }
    let requests = closure(requests, schemas);
    let responses = closure(responses, schemas);
    let Some(components) = document.components.as_mut() else {
        return;
    };
    for name in responses.difference(&requests) {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(name) else {
            continue;
        };
        for (field, property) in &object.properties {
            let nullable = serde_json::to_value(property).is_ok_and(|p| is_nullable(&p));
            if nullable && !object.required.contains(field) {
                object.required.push(field.clone());
            }
        }
    }
}

fn is_nullable(property: &Value) -> bool {
    let null = |t: &Value| t == "null";
    match &property["type"] {
        Value::Array(types) => types.iter().any(null),
        _ => ["oneOf", "anyOf"].iter().any(|k| {
            property[*k]
                .as_array()
                .is_some_and(|v| v.iter().any(|s| null(&s["type"])))
        }),
    }
}

/// The schema names `value` refers to.
fn collect(value: &Value, names: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMA_REF))
            {
                names.insert(name.to_owned());
            }
            map.values().for_each(|v| collect(v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
        _ => {}
    }
}

/// `names` and every schema they refer to, however deep.
fn closure(names: BTreeSet<String>, schemas: &Value) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = names.into_iter().collect();
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            let mut inner = BTreeSet::new();
            collect(&schemas[name.as_str()], &mut inner);
            todo.extend(inner.into_iter().filter(|n| !seen.contains(n)));
        }
    }
    seen
}
