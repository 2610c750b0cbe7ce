//! Record ids in pages: read from the address, and written into forms and links as text.

use crate::model::Id;
use leptos::attr::IntoAttributeValue;
use leptos_router::params::ParamsMap;

/// The id the route's parameter `name` holds; an empty id, which finds nothing, when absent.
pub fn id_param<R>(params: &ParamsMap, name: &str) -> Id<R> {
    Id::from(params.get(name).unwrap_or_default())
}

impl<R> IntoAttributeValue for Id<R> {
    type Output = String;

    fn into_attribute_value(self) -> String {
        self.into()
    }
}
