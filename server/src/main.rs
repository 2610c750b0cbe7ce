//! The `caremap` program: serves the web application, administers accounts and workspaces, and
//! moves matrices in and out as spreadsheets.

mod admin;
mod caching;
mod cli;
mod downloads;
mod health;
mod security;
mod serve;
mod transfer;
mod uploads;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // The spreadsheet reader runs alone, before any runtime or thread starts: its limits then
    // cover all it does.
    if let Some(cli::Command::ReadSpreadsheet { name }) = &cli.command {
        return app::sheets::isolate::run_reader(name);
    }
    init_logging();
    match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(error) => {
            eprintln!("caremap: cannot start: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: cli::Cli) -> ExitCode {
    let result = match cli.command.unwrap_or(cli::Command::Serve(cli.serve)) {
        cli::Command::Serve(args) => serve::run(&cli.database_url, args).await.map_err(|e| e.to_string()),
        cli::Command::User(command) => admin::user(&cli.database_url, command).await.map_err(|e| e.to_string()),
        cli::Command::Workspace(command) => admin::workspace(&cli.database_url, command).await.map_err(|e| e.to_string()),
        cli::Command::Demo { owner } => admin::demo(&cli.database_url, &owner).await.map_err(|e| e.to_string()),
        cli::Command::Import(args) => return transfer::import(&cli.database_url, args).await,
        cli::Command::Export(args) => transfer::export(&cli.database_url, args).await.map_err(|e| e.to_string()),
        cli::Command::Endpoints => {
            admin::endpoints();
            Ok(())
        }
        cli::Command::ReadSpreadsheet { .. } => unreachable!("the reader runs before the runtime starts"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "caremap stopped");
            eprintln!("caremap: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Structured logs on standard error: `RUST_LOG` chooses what (default `info`),
/// `CAREMAP_LOG_FORMAT=json` gives one JSON object a line for log collectors, and
/// `CAREMAP_LOG_SPANS=1` a line as each span (a request, a server function, a store method)
/// ends, with its time.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    use tracing_subscriber::fmt::format::FmtSpan;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let spans = if std::env::var_os("CAREMAP_LOG_SPANS").is_some() { FmtSpan::CLOSE } else { FmtSpan::NONE };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_span_events(spans).with_writer(std::io::stderr);
    if std::env::var("CAREMAP_LOG_FORMAT").is_ok_and(|format| format == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}
