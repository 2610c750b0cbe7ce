//! The shape of the code, checked: the layers depend one way, and no two files reach each
//! other through their imports, so each can be read and changed from the ones below it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module and the ones it may use. Pages call server functions; server functions
/// call the use cases, the store and the model; nothing below calls up.
const LAYERS: [(&str, &[&str]); 10] = [
    ("model", &[]),
    ("paths", &["model"]),
    ("frameworks", &["model"]),
    ("auth", &["model"]),
    ("export", &["model"]),
    ("sheets", &["model", "frameworks"]),
    ("store", &["model", "frameworks", "auth"]),
    ("imports", &["model", "sheets", "store"]),
    ("api", &["model", "paths", "frameworks", "auth", "export", "sheets", "store", "imports"]),
    ("ui", &["model", "paths", "frameworks", "api"]),
];

/// Every source file (as a path below `src`, without `.rs`), with its text outside its tests.
fn sources() -> BTreeMap<String, String> {
    fn walk(folder: &Path, root: &Path, found: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let text = match text.find("#[cfg(test)]\nmod tests") {
                    Some(at) => text[..at].to_owned(),
                    None => text,
                };
                let name = path.strip_prefix(root).unwrap().with_extension("").to_string_lossy().replace('\\', "/");
                found.insert(name, text);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    walk(&root, &root, &mut found);
    found
}

/// The module path of a file: `store/mod` is `store`.
fn module_of(file: &str) -> Vec<String> {
    let mut path: Vec<String> = file.split('/').map(str::to_owned).collect();
    if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
        path.pop();
    }
    path
}

/// The paths a file names through `crate::` or `super::`, resolved from the crate root, with
/// each `{a, b::c}` group opened one level.
fn named_paths(file: &str, text: &str) -> Vec<Vec<String>> {
    let here = module_of(file);
    let parent = here[..here.len().saturating_sub(1)].to_vec();
    let mut paths = Vec::new();
    for (start, root) in [("crate::", Vec::new()), ("super::", parent)] {
        for (at, _) in text.match_indices(start) {
            if text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let rest = &text[at + start.len()..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            let base: Vec<String> = rest[..end].split("::").filter(|s| !s.is_empty()).map(str::to_owned).collect();
            let mut prefix = root.clone();
            prefix.extend(base);
            if rest[end..].starts_with('{') {
                let group = &rest[end + 1..rest[end..].find('}').map_or(rest.len(), |close| end + close)];
                for item in group.split(',') {
                    let mut path = prefix.clone();
                    path.extend(item.trim().split("::").map(|s| s.split_whitespace().next().unwrap_or("").to_owned()).filter(|s| !s.is_empty() && s != "self"));
                    paths.push(path);
                }
            } else {
                paths.push(prefix);
            }
        }
    }
    paths
}

/// Which files each file uses.
fn file_graph(sources: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeMap<Vec<String>, String> = sources.keys().map(|file| (module_of(file), file.clone())).collect();
    sources
        .iter()
        .map(|(file, text)| {
            let used = named_paths(file, text)
                .into_iter()
                .filter_map(|path| (1..=path.len()).rev().find_map(|n| modules.get(&path[..n])).cloned())
                .filter(|target| target != file)
                .collect();
            (file.clone(), used)
        })
        .collect()
}

#[test]
fn the_layers_depend_one_way() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.into_iter().collect();
    let mut wrong = Vec::new();
    for (file, used) in file_graph(&sources()) {
        let Some(layer) = file.split('/').next().filter(|top| allowed.contains_key(top)) else { continue };
        for target in used {
            let target_layer = target.split('/').next().unwrap();
            if target_layer != layer && allowed.contains_key(target_layer) && !allowed[layer].contains(&target_layer) {
                wrong.push(format!("{file} uses {target}"));
            }
        }
    }
    assert!(wrong.is_empty(), "a layer uses one it may not (see LAYERS): {wrong:#?}");
}

#[test]
fn every_top_level_module_has_its_place_in_the_layers() {
    let named: BTreeSet<&str> = LAYERS.iter().map(|(layer, _)| *layer).collect();
    // lib.rs declares the modules, and this file is a test.
    let modules: BTreeSet<String> =
        sources().keys().map(|f| f.split('/').next().unwrap().to_owned()).filter(|m| !["lib", "architecture"].contains(&m.as_str())).collect();
    let missing: Vec<&String> = modules.iter().filter(|m| !named.contains(m.as_str())).collect();
    assert!(missing.is_empty(), "give these a row in LAYERS: {missing:?}");
}

#[test]
fn no_two_files_reach_each_other() {
    let graph = file_graph(&sources());
    let reaches = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(file) = stack.pop() {
            for next in &graph[&file] {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let circles: Vec<String> = graph.keys().filter(|file| reaches(file).contains(file.as_str())).map(|file| format!("{file} → … → {file}")).collect();
    assert!(circles.is_empty(), "files whose imports lead back to themselves: {circles:#?}");
}

#[test]
fn paths_are_resolved_from_the_crate_root_and_from_the_parent() {
    let paths = named_paths("store/org_maps", "use super::codecs::{date_from, ids_from};\nuse crate::model::{Change, Entity};\nfn f() { crate::api::today() }");
    let paths: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["model::Change", "model::Entity", "api::today", "store::codecs::date_from", "store::codecs::ids_from"]);
}

#[test]
fn every_server_function_and_store_method_opens_a_span() {
    let mut missing = Vec::new();
    for (file, text) in sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let instrumented = |attribute: &str| lines[at.saturating_sub(4)..at].iter().any(|l| l.contains(attribute));
            if file.starts_with("api/")
                && line.starts_with("#[server(")
                && !lines.get(at + 1).is_some_and(|next| next.contains("tracing::instrument(skip_all)"))
            {
                missing.push(format!("{file}: {line}"));
            }
            if file.starts_with("store/") && line.starts_with("    pub async fn ") && !instrumented("#[tracing::instrument(") {
                missing.push(format!("{file}: {}", line.trim()));
            }
        }
    }
    assert!(missing.is_empty(), "give these a tracing span (arguments skipped, so no password or token is logged): {missing:#?}");
}
