//! `caremap serve`: open the database (which stores the built-in frameworks), and serve until
//! told to stop.

use crate::cli::ServeArgs;
use crate::{caching, downloads, health, security, uploads};
use app::sheets::isolate::SpreadsheetReader;
use app::store::{Store, StoreError};
use app::{App, shell};
use axum::Router;
use axum::extract::ConnectInfo;
use axum::extract::DefaultBodyLimit;
use axum::extract::FromRef;
use axum::routing::{get, post};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use leptos::config::{Env, LeptosOptions, get_configuration};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    #[error("the site settings are invalid: {0}")]
    Settings(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
    #[error("cannot find caremap's own program, which reads spreadsheets: {0}")]
    Reader(std::io::Error),
}

/// What handlers can reach.
#[derive(Clone)]
struct AppState {
    leptos_options: LeptosOptions,
    store: Store,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Self {
        state.store.clone()
    }
}

pub async fn run(database_url: &str, args: ServeArgs) -> Result<(), ServeError> {
    let leptos_options = site_options(args.addr)?;
    let store = Store::connect(database_url).await?;
    tracing::info!(database = store.backend().name(), "database ready");

    let reader = SpreadsheetReader::this_program().map_err(ServeError::Reader)?;
    let router = router(AppState { leptos_options, store: store.clone() }, reader);
    let listener = tokio::net::TcpListener::bind(args.addr).await.map_err(|source| ServeError::Bind { addr: args.addr, source })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    tracing::info!("caremap is listening on http://{addr}");
    serve(listener, router).await;
    store.close().await;
    tracing::info!("caremap stopped cleanly");
    Ok(())
}

/// The site settings: cargo-leptos's `LEPTOS_*` variables when present, else defaults that let
/// the release binary run from the repository root with nothing set.
fn site_options(addr: SocketAddr) -> Result<LeptosOptions, ServeError> {
    let mut options = get_configuration(None).map_err(|error| ServeError::Settings(error.to_string()))?.leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "caremap".into();
    }
    if std::env::var_os("LEPTOS_ENV").is_none() {
        options.env = Env::PROD;
    }
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        // The release build names its files by their content, and lists the names beside the
        // program (cargo-leptos `hash-files`).
        options.hash_files = beside_this_program(&options.hash_file).is_some_and(|list| list.exists());
    }
    options.site_addr = addr;
    Ok(options)
}

fn beside_this_program(file: &str) -> Option<std::path::PathBuf> {
    Some(std::env::current_exe().ok()?.parent()?.join(file))
}

fn router(state: AppState, reader: SpreadsheetReader) -> Router {
    let routes = generate_route_list(App);
    let store = state.store.clone();
    let request_context = move || {
        provide_context(store.clone());
        provide_context(reader.clone());
        security::set_page_policy();
    };
    let page = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .route(downloads::JOB_DESCRIPTION_DOCX, get(downloads::job_description))
        .route(downloads::ORG_MAP_XLSX, get(downloads::org_map))
        .route(downloads::ROLE_MAP_XLSX, get(downloads::role_map))
        .route(downloads::LEARNING_XLSX, get(downloads::learning))
        .route(downloads::PROGRAMME_XLSX, get(downloads::programme))
        .route(downloads::PLAN_XLSX, get(downloads::plan))
        .route(downloads::FRAMEWORK_XLSX, get(downloads::framework))
        .route(uploads::IMPORT_UPLOAD, post(uploads::import).layer(DefaultBodyLimit::max(uploads::MAX_BODY_BYTES)))
        .leptos_routes_with_context(&state, routes, request_context.clone(), page)
        .fallback(file_and_error_handler_with_context::<AppState, _>(request_context, shell))
        .with_state(state);
    caching::with_cache_policy(security::refuse_oversized_forms(security::refuse_cross_site(security::with_security_headers(router))))
        // Word and Excel files are zip archives already; sent as they are, they keep their length,
        // which the page's progress bar needs.
        .layer(
            CompressionLayer::new().compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/vnd.openxmlformats-officedocument"))),
        )
        .layer(TraceLayer::new_for_http())
}

/// How long a connection may take to send a request's headers, and may stay open sending
/// nothing; and how long a request body may pause between parts. A client that is slower is
/// disconnected, so slow or idle clients cannot hold the server's connections.
const HEADER_TIMEOUT: Duration = Duration::from_secs(20);
const BODY_PAUSE_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until told to stop, then finishes the requests in flight.
async fn serve(listener: TcpListener, router: Router) {
    let router = router.layer(RequestBodyTimeoutLayer::new(BODY_PAUSE_TIMEOUT));
    let mut connections = hyper::server::conn::http1::Builder::new();
    connections.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    let graceful = GracefulShutdown::new();
    let mut stop = pin!(shutdown_signal());
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors, say: wait a moment rather than spin.
                Err(error) => {
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let router = router.clone();
        let service = tower::service_fn(move |mut request: axum::extract::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(client));
            router.clone().oneshot(request.map(axum::body::Body::new))
        });
        let connection = graceful.watch(connections.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %client, "connection ended");
            }
        });
    }
    graceful.shutdown().await;
}

/// Resolves on Ctrl-C or SIGTERM; requests in flight are finished before the server stops.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
