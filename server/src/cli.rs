//! Command-line arguments. Every option has an environment variable too, for services.

use app::store::DEFAULT_DATABASE_URL;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Parser)]
#[command(
    name = "caremap",
    version,
    about = "Coordinating-care function mapping for health and social care",
    args_conflicts_with_subcommands = true
)]
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
    /// List the server-function endpoints this program serves, one "METHOD PATH" a line (for
    /// proxy allow-lists and access tests).
    Endpoints,
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
    fn a_bad_address_is_refused() {
        assert!(Cli::try_parse_from(["caremap", "--addr", "localhost"]).is_err());
    }
}
