//! How values are written as text in the database and read back: identifiers, lists of them,
//! dates, times and counts. Shared by every store file.

use super::StoreError;
use crate::model::{CalendarDate, FunctionId, Id};
use time::OffsetDateTime;

/// Parses an identifier read back from the database.
pub(super) fn parse<T: TryFrom<String, Error = crate::model::IdError>>(text: String) -> Result<T, StoreError> {
    T::try_from(text).map_err(|error| StoreError::Inconsistent(error.to_string()))
}

pub(super) fn to_u32(number: i64) -> Result<u32, StoreError> {
    u32::try_from(number).map_err(|_| StoreError::Inconsistent(format!("{number} is out of range")))
}

/// A space-separated list of identifiers read back.
pub(super) fn ids_from<T: TryFrom<String, Error = crate::model::IdError>>(text: &str) -> Result<Vec<T>, StoreError> {
    text.split_whitespace().map(|id| parse(id.to_owned())).collect()
}

/// Function identifiers as stored: separated by spaces.
pub(super) fn ids_text(ids: &[FunctionId]) -> String {
    ids.iter().map(FunctionId::as_str).collect::<Vec<_>>().join(" ")
}

/// A calendar date read back.
pub(super) fn date_from(text: &str) -> Result<CalendarDate, StoreError> {
    CalendarDate::parse("date", text).map_err(|e| StoreError::Inconsistent(e.message))
}

/// A time read back as stored by [`super::timestamp`].
pub(super) fn time_from(text: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|error| StoreError::Inconsistent(format!("the stored time “{text}”: {error}")))
}

// A record's id is bound and read as the text it is.
impl<R> sqlx::Type<sqlx::Any> for Id<R> {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'q, R> sqlx::Encode<'q, sqlx::Any> for Id<R> {
    fn encode_by_ref(&self, buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<'q, sqlx::Any>>::encode(self.as_str().to_owned(), buf)
    }
}

impl<'r, R> sqlx::Decode<'r, sqlx::Any> for Id<R> {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        <String as sqlx::Decode<'r, sqlx::Any>>::decode(value).map(Id::from)
    }
}
