//! The addresses of caremap's pages and files that carry an id, written once: every such link
//! and redirect is made here, and tests hold each to a route of the router's table (`ui::App`)
//! or of the server's downloads.

use crate::model::{AnalysisId, ImportId, OrgMapId, RoleId, RoleMapId, WorkspaceId};

/// A function framework's page.
pub fn framework(framework_id: &str) -> String {
    format!("/frameworks/{framework_id}")
}

/// A function framework as a spreadsheet.
pub fn framework_file(framework_id: &str) -> String {
    format!("/frameworks/{framework_id}/framework.xlsx")
}

/// A workspace's own page.
pub fn workspace(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}")
}

pub fn audit(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/audit")
}

/// The list of a workspace's organisation maps.
pub fn org_maps(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/maps")
}

pub fn org_map(workspace_id: &WorkspaceId, map_id: &OrgMapId) -> String {
    format!("/workspaces/{workspace_id}/maps/{map_id}")
}

/// An organisation map's organisations and details: everything but its matrix.
pub fn org_map_organisations(workspace_id: &WorkspaceId, map_id: &OrgMapId) -> String {
    format!("/workspaces/{workspace_id}/maps/{map_id}/organisations")
}

/// Two organisation maps compared.
pub fn review(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/review")
}

pub fn role_maps(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/role-maps")
}

pub fn role_map(workspace_id: &WorkspaceId, map_id: &RoleMapId) -> String {
    format!("/workspaces/{workspace_id}/role-maps/{map_id}")
}

/// A role map's functions needed, roles and details: everything but its matrix.
pub fn role_map_roles(workspace_id: &WorkspaceId, map_id: &RoleMapId) -> String {
    format!("/workspaces/{workspace_id}/role-maps/{map_id}/roles")
}

/// The list of a workspace's learning and development analyses.
pub fn analyses(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/learning")
}

pub fn analysis(workspace_id: &WorkspaceId, analysis_id: &AnalysisId) -> String {
    format!("/workspaces/{workspace_id}/learning/{analysis_id}")
}

pub fn team_needs(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/team-needs")
}

pub fn programme(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/programme")
}

pub fn catalogue(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/catalogue")
}

/// Where a spreadsheet is uploaded for import.
pub fn imports(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/imports")
}

/// An upload's preview.
pub fn import(workspace_id: &WorkspaceId, import_id: &ImportId) -> String {
    format!("/workspaces/{workspace_id}/imports/{import_id}")
}

/// The workspace's learning matrix as a spreadsheet.
pub fn learning_matrix_file(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/learning-matrix.xlsx")
}

/// An organisation map's implementation plan.
pub fn plan(workspace_id: &WorkspaceId, map_id: &OrgMapId) -> String {
    format!("/workspaces/{workspace_id}/maps/{map_id}/plan")
}

/// A role's job description.
pub fn job_description(workspace_id: &WorkspaceId, map_id: &RoleMapId, role_id: &RoleId) -> String {
    format!("/workspaces/{workspace_id}/role-maps/{map_id}/roles/{role_id}")
}

/// The files people download, which the server's own routes serve.
pub fn org_map_file(workspace_id: &WorkspaceId, map_id: &OrgMapId) -> String {
    format!("/workspaces/{workspace_id}/maps/{map_id}/matrix.xlsx")
}

pub fn plan_file(workspace_id: &WorkspaceId, map_id: &OrgMapId) -> String {
    format!("/workspaces/{workspace_id}/maps/{map_id}/plan.xlsx")
}

pub fn role_map_file(workspace_id: &WorkspaceId, map_id: &RoleMapId) -> String {
    format!("/workspaces/{workspace_id}/role-maps/{map_id}/matrix.xlsx")
}

pub fn job_description_file(workspace_id: &WorkspaceId, map_id: &RoleMapId, role_id: &RoleId) -> String {
    format!("/workspaces/{workspace_id}/role-maps/{map_id}/roles/{role_id}/job-description.docx")
}

pub fn programme_file(workspace_id: &WorkspaceId) -> String {
    format!("/workspaces/{workspace_id}/programme.xlsx")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An address or route with each id (here "W" or "X") or parameter (":id", "{id}") as ":".
    fn shape(address: &str) -> String {
        let parameter = |part: &str| part == "W" || part == "X" || part.starts_with(':') || part.starts_with('{');
        address.split('/').map(|part| if parameter(part) { ":" } else { part }).collect::<Vec<_>>().join("/")
    }

    #[test]
    fn every_page_address_is_a_route() {
        let table = include_str!("ui/mod.rs");
        let routes: Vec<String> = table
            .match_indices("path!(\"")
            .map(|(at, found)| {
                let route = &table[at + found.len()..];
                shape(&route[..route.find('"').unwrap()])
            })
            .collect();
        let pages = [
            framework("X"),
            workspace(&"W".into()),
            audit(&"W".into()),
            org_maps(&"W".into()),
            org_map(&"W".into(), &"X".into()),
            review(&"W".into()),
            role_maps(&"W".into()),
            role_map(&"W".into(), &"X".into()),
            analyses(&"W".into()),
            analysis(&"W".into(), &"X".into()),
            team_needs(&"W".into()),
            programme(&"W".into()),
            catalogue(&"W".into()),
            import(&"W".into(), &"X".into()),
            plan(&"W".into(), &"X".into()),
            job_description(&"W".into(), &"X".into(), &"X".into()),
        ];
        for page in pages {
            assert!(routes.contains(&shape(&page)), "{page} is no route of ui::App");
        }
    }

    #[test]
    fn every_file_address_is_a_route_of_the_server() {
        let server = include_str!("../../server/src/downloads.rs");
        let routes: Vec<String> = server
            .match_indices(": &str = \"/")
            .map(|(at, found)| {
                let route = &server[at + found.len() - 1..];
                shape(&route[..route.find('"').unwrap()])
            })
            .collect();
        let files = [
            org_map_file(&"W".into(), &"X".into()),
            plan_file(&"W".into(), &"X".into()),
            role_map_file(&"W".into(), &"X".into()),
            job_description_file(&"W".into(), &"X".into(), &"X".into()),
            programme_file(&"W".into()),
            learning_matrix_file(&"W".into()),
        ];
        for file in files {
            assert!(routes.contains(&shape(&file)), "{file} is no route of server/src/downloads.rs");
        }
    }
}
