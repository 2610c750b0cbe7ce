//! The addresses of caremap's pages and files that carry an id, written once: every such link
//! and redirect is made here, and tests hold each to a route of the router's table (`ui::App`)
//! or of the server's downloads.

/// A function framework's page.
pub fn framework(framework_id: &str) -> String {
    format!("/frameworks/{framework_id}")
}

/// A function framework as a spreadsheet.
pub fn framework_file(framework_id: &str) -> String {
    format!("/frameworks/{framework_id}/framework.xlsx")
}

/// A workspace's own page.
pub fn workspace(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}")
}

pub fn audit(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/audit")
}

/// The list of a workspace's organisation maps.
pub fn org_maps(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/maps")
}

pub fn org_map(workspace_id: &str, map_id: &str) -> String {
    format!("/workspaces/{workspace_id}/maps/{map_id}")
}

/// Two organisation maps compared.
pub fn review(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/review")
}

pub fn role_maps(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/role-maps")
}

pub fn role_map(workspace_id: &str, map_id: &str) -> String {
    format!("/workspaces/{workspace_id}/role-maps/{map_id}")
}

/// The list of a workspace's learning and development analyses.
pub fn analyses(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/learning")
}

pub fn analysis(workspace_id: &str, analysis_id: &str) -> String {
    format!("/workspaces/{workspace_id}/learning/{analysis_id}")
}

pub fn team_needs(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/team-needs")
}

pub fn programme(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/programme")
}

pub fn catalogue(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/catalogue")
}

/// Where a spreadsheet is uploaded for import.
pub fn imports(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/imports")
}

/// An upload's preview.
pub fn import(workspace_id: &str, import_id: &str) -> String {
    format!("/workspaces/{workspace_id}/imports/{import_id}")
}

/// The workspace's learning matrix as a spreadsheet.
pub fn learning_matrix_file(workspace_id: &str) -> String {
    format!("/workspaces/{workspace_id}/learning-matrix.xlsx")
}

/// An organisation map's implementation plan.
pub fn plan(workspace_id: &str, map_id: &str) -> String {
    format!("/workspaces/{workspace_id}/maps/{map_id}/plan")
}

/// A role's job description.
pub fn job_description(workspace_id: &str, map_id: &str, role_id: &str) -> String {
    format!("/workspaces/{workspace_id}/role-maps/{map_id}/roles/{role_id}")
}

/// The files people download, which the server's own routes serve.
pub fn org_map_file(workspace_id: &str, map_id: &str) -> String {
    format!("/workspaces/{workspace_id}/maps/{map_id}/matrix.xlsx")
}

pub fn plan_file(workspace_id: &str, map_id: &str) -> String {
    format!("/workspaces/{workspace_id}/maps/{map_id}/plan.xlsx")
}

pub fn role_map_file(workspace_id: &str, map_id: &str) -> String {
    format!("/workspaces/{workspace_id}/role-maps/{map_id}/matrix.xlsx")
}

pub fn job_description_file(workspace_id: &str, map_id: &str, role_id: &str) -> String {
    format!("/workspaces/{workspace_id}/role-maps/{map_id}/roles/{role_id}/job-description.docx")
}

pub fn programme_file(workspace_id: &str) -> String {
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
            workspace("W"),
            audit("W"),
            org_maps("W"),
            org_map("W", "X"),
            review("W"),
            role_maps("W"),
            role_map("W", "X"),
            analyses("W"),
            analysis("W", "X"),
            team_needs("W"),
            programme("W"),
            catalogue("W"),
            import("W", "X"),
            plan("W", "X"),
            job_description("W", "X", "X"),
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
            org_map_file("W", "X"),
            plan_file("W", "X"),
            role_map_file("W", "X"),
            job_description_file("W", "X", "X"),
            programme_file("W"),
            learning_matrix_file("W"),
        ];
        for file in files {
            assert!(routes.contains(&shape(&file)), "{file} is no route of server/src/downloads.rs");
        }
    }
}
