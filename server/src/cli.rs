//! Command-line arguments. Every option has an environment variable too, for services.

use app::store::DEFAULT_DATABASE_URL;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Parser)]
#[command(name = "caremap", version, about = "Coordinating-care function mapping for health and social care", args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Where the data lives: sqlite://PATH (created if missing) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// With no subcommand, caremap serves.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve(ServeArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage workspaces.
    #[command(subcommand)]
    Workspace(WorkspaceCommand),
    /// Create a workspace holding a sample area (seven organisations, a filled map with gaps, a
    /// baseline a year earlier and a plan), owned by an existing account.
    Demo {
        #[arg(long)]
        owner: String,
    },
    /// Import a matrix from a spreadsheet (.xlsx, .xls, .xlsb, .ods or .csv) into a workspace, as
    /// the web does: into the matrix it was exported from, the one given by --id, or a new one.
    Import(ImportArgs),
    /// Export a matrix as a spreadsheet laid out like the guide's appendices.
    Export(ExportArgs),
    /// List the server-function endpoints this program serves, one "METHOD PATH" a line (for
    /// proxy allow-lists and access tests).
    Endpoints,
    /// Reads one spreadsheet from standard input under hard limits, for the server and `import`,
    /// which run it as a separate process.
    #[command(hide = true, name = "read-spreadsheet")]
    ReadSpreadsheet {
        /// The file's name, whose extension says what it should be.
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account; the first account made is an administrator.
    Add {
        email: String,
        #[arg(long)]
        name: String,
        /// Read the password from standard input (required: a password never goes on the
        /// command line, where others could see it).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
pub enum WorkspaceCommand {
    /// Create a workspace owned by an existing account.
    Create {
        name: String,
        #[arg(long)]
        owner: String,
    },
}

/// The kinds of matrix that travel as spreadsheets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MatrixKind {
    OrgMap,
    RoleMap,
    /// The workspace's learning needs: every analysis across, its needs in full.
    Learning,
    /// A function framework: a built-in one, or one of the workspace's own.
    Framework,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The spreadsheet file.
    pub file: std::path::PathBuf,
    /// The workspace's name (or id).
    #[arg(long)]
    pub workspace: String,
    #[arg(long, value_enum)]
    pub kind: MatrixKind,
    /// The matrix to update, instead of the one the file came from or a new one.
    #[arg(long)]
    pub id: Option<String>,
    /// Say what would change, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print one JSON object: id, added, changed, unchanged, unmatched, errors, warnings.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The workspace's name (or id).
    #[arg(long)]
    pub workspace: String,
    #[arg(long, value_enum)]
    pub kind: MatrixKind,
    /// The matrix's id, as `caremap import` prints it (not needed for `learning`, which is the
    /// workspace's).
    #[arg(long)]
    pub id: Option<String>,
    /// Where to write the .xlsx file.
    #[arg(long)]
    pub out: std::path::PathBuf,
}

#[derive(Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "CAREMAP_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_is_the_default_and_takes_the_same_options() {
        let cli = Cli::try_parse_from(["caremap", "--addr", "0.0.0.0:8080"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.addr.port(), 8080);

        let cli = Cli::try_parse_from(["caremap", "serve", "--addr", "127.0.0.1:9", "--database-url", "sqlite://x.db"]).unwrap();
        let Some(Command::Serve(args)) = cli.command else { panic!("expected serve") };
        assert_eq!(args.addr.port(), 9);
        assert_eq!(cli.database_url, "sqlite://x.db");
    }

    #[test]
    fn admin_commands_take_their_arguments() {
        let cli = Cli::try_parse_from(["caremap", "user", "add", "a@b.org", "--name", "Ann", "--password-stdin"]).unwrap();
        assert!(matches!(cli.command, Some(Command::User(UserCommand::Add { .. }))));
        assert!(Cli::try_parse_from(["caremap", "user", "add", "a@b.org", "--name", "Ann"]).is_err());
        let cli = Cli::try_parse_from(["caremap", "workspace", "create", "North", "--owner", "a@b.org", "--database-url", "sqlite://x.db"]).unwrap();
        assert_eq!(cli.database_url, "sqlite://x.db");
    }

    #[test]
    fn demo_needs_an_owner() {
        let cli = Cli::try_parse_from(["caremap", "demo", "--owner", "a@b.org"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Demo { owner }) if owner == "a@b.org"));
        assert!(Cli::try_parse_from(["caremap", "demo"]).is_err());
    }

    #[test]
    fn import_and_export_take_their_arguments() {
        let cli = Cli::try_parse_from(["caremap", "import", "map.xlsx", "--workspace", "North", "--kind", "org-map", "--dry-run", "--json"]).unwrap();
        let Some(Command::Import(args)) = cli.command else { panic!("expected import") };
        assert!(args.dry_run && args.json && args.kind == MatrixKind::OrgMap && args.id.is_none());
        assert!(Cli::try_parse_from(["caremap", "import", "map.xlsx", "--workspace", "North", "--kind", "menu"]).is_err());
        let cli = Cli::try_parse_from(["caremap", "export", "--workspace", "North", "--kind", "role-map", "--id", "m", "--out", "x.xlsx"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Export(ExportArgs { kind: MatrixKind::RoleMap, .. }))));
        assert!(Cli::try_parse_from(["caremap", "export", "--workspace", "North", "--kind", "learning", "--out", "x.xlsx"]).is_ok());
        let cli = Cli::try_parse_from(["caremap", "import", "list.csv", "--workspace", "North", "--kind", "framework"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Import(ImportArgs { kind: MatrixKind::Framework, .. }))));
    }

    #[test]
    fn a_bad_address_is_refused() {
        assert!(Cli::try_parse_from(["caremap", "--addr", "localhost"]).is_err());
    }
}
