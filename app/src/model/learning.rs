//! Learning and development needs analyses (the guide's Appendix 3). An analysis covers one
//! organisation, team, role or named person, and a scope of functions: by default a role's own
//! functions plus the core functions, never one list for everyone.

use super::accounts::InputError;
use super::framework::Category;
use super::ids::{FrameworkId, FunctionId};
use super::values::CalendarDate;
use serde::{Deserialize, Serialize};

/// Whom an analysis is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AnalysisLevel {
    Organisation,
    Team,
    Role,
    Person,
}

impl AnalysisLevel {
    pub const ALL: [AnalysisLevel; 4] = [AnalysisLevel::Organisation, AnalysisLevel::Team, AnalysisLevel::Role, AnalysisLevel::Person];

    pub fn as_str(self) -> &'static str {
        match self {
            AnalysisLevel::Organisation => "organisation",
            AnalysisLevel::Team => "team",
            AnalysisLevel::Role => "role",
            AnalysisLevel::Person => "person",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AnalysisLevel::Organisation => "Organisation",
            AnalysisLevel::Team => "Team",
            AnalysisLevel::Role => "Role",
            AnalysisLevel::Person => "Named person",
        }
    }

    pub fn parse(text: &str) -> Result<Self, InputError> {
        AnalysisLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == text)
            .ok_or_else(|| InputError::new("level", "Choose organisation, team, role or named person."))
    }
}

/// What heads an analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisSummary {
    pub id: String,
    pub level: AnalysisLevel,
    pub organisation: String,
    /// The team, role or person's name, as the level says.
    pub name: String,
    pub date: CalendarDate,
    pub frameworks: Vec<FrameworkId>,
    /// The functions the analysis covers, in framework order.
    pub scope: Vec<FunctionId>,
    /// The role it was planned from, if any.
    pub role_id: Option<String>,
    pub version: i64,
}

/// An analysis with its functions in scope, by category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningAnalysis {
    pub summary: AnalysisSummary,
    pub categories: Vec<Category>,
}
