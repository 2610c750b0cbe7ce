//! The closed lists people choose from (a sector, a status, a priority…): each variant's code
//! as stored and sent by forms, its label for people, and parsing a form's value back, written
//! once for every such list.

/// Declares a closed list: the enum, `ALL` in order, `as_str` (the code), `label` (the words) and
/// `parse` (a form's code back, or an `InputError` on `field` saying what to choose).
macro_rules! choices {
    (
        $(#[$meta:meta])*
        pub enum $name:ident in $field:literal, $hint:literal {
            $( $(#[$variant_meta:meta])* $variant:ident = $code:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The code stored and sent by forms.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The words people read.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// A form's code, or what to choose.
            pub fn parse(text: &str) -> Result<Self, $crate::model::InputError> {
                Self::ALL.into_iter().find(|choice| choice.as_str() == text).ok_or_else(|| $crate::model::InputError::new($field, $hint))
            }
        }
    };
}

pub(crate) use choices;

#[cfg(test)]
mod tests {
    choices! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Colour in "colour", "Choose red or deep blue." {
            Red = "red", "Red";
            /// A variant keeps its documentation.
            DeepBlue = "deep-blue", "Deep blue";
        }
    }

    #[test]
    fn a_list_round_trips_its_codes_and_says_what_to_choose() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DeepBlue]);
        for colour in Colour::ALL {
            assert_eq!(Colour::parse(colour.as_str()), Ok(colour));
        }
        assert_eq!(Colour::DeepBlue.label(), "Deep blue");
        let refused = Colour::parse("Red").unwrap_err();
        assert_eq!((refused.field.as_str(), refused.message.as_str()), ("colour", "Choose red or deep blue."));
    }
}
