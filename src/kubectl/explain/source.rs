//! The docs bundle's source for `explain` (test-only): the types of the generated `schema.rs`.

pub(in crate::kubectl) struct TypeDoc {
    pub(in crate::kubectl) name: &'static str,
    pub(in crate::kubectl) description: &'static str,
    pub(in crate::kubectl) fields: Option<&'static [FieldDoc]>,
}

pub(in crate::kubectl) struct FieldDoc {
    pub(in crate::kubectl) name: &'static str,
    pub(in crate::kubectl) type_guess: &'static str,
    pub(in crate::kubectl) required: bool,
    pub(in crate::kubectl) description: &'static str,
    pub(in crate::kubectl) of_type: Option<&'static str>,
    pub(in crate::kubectl) enum_values: &'static [&'static str],
}

#[rustfmt::skip]
#[path = "schema.rs"]
mod schema;

pub(in crate::kubectl) fn types() -> &'static [TypeDoc] {
    schema::TYPES
}
