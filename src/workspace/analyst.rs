//! Who the analyst is, for each annotation's `author` and `changed_by`: `user.name` from
//! git's configuration when the project lives in a git work tree (the repository's own
//! setting first, then the analyst's global one), else the operating-system user.
//!
//! The configuration files are read, not `git` run: opening a project never runs a git
//! command the analyst did not ask for. `include` directives are not followed.

use std::path::{Path, PathBuf};

/// The analyst's name for a project stored at `project` (or an untitled one).
pub fn analyst_for(project: Option<&Path>) -> String {
    let git = project
        .and_then(Path::parent)
        .and_then(git_dir)
        .and_then(|dir| {
            let local = user_name_in(&common_dir(&dir).join("config"));
            local.or_else(global_user_name)
        });
    git.unwrap_or_else(os_user)
}

/// The operating system's name for the user, or "" if it has none.
pub fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default()
}

/// The `.git` folder of the work tree holding `folder`, if any (see [`work_tree`]).
pub fn git_dir(folder: &Path) -> Option<PathBuf> {
    work_tree(folder).map(|(_, git)| git)
}

/// The work tree holding `folder`: its top folder (where `.git` is) and its git folder (a
/// `.git` file pointing elsewhere, as in linked work trees and submodules, is followed).
pub fn work_tree(folder: &Path) -> Option<(PathBuf, PathBuf)> {
    let start = std::path::absolute(folder).ok()?;
    for dir in start.ancestors() {
        let dot_git = dir.join(".git");
        if dot_git.is_dir() {
            return Some((dir.to_owned(), dot_git));
        }
        if dot_git.is_file() {
            let text = std::fs::read_to_string(&dot_git).ok()?;
            let target = text.trim().strip_prefix("gitdir:")?.trim();
            return Some((dir.to_owned(), dir.join(target)));
        }
    }
    None
}

/// The repository's shared folder (a linked work tree's `commondir`), where its `config` is.
fn common_dir(git_dir: &Path) -> PathBuf {
    match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(common) => git_dir.join(common.trim()),
        Err(_) => git_dir.to_owned(),
    }
}

/// `user.name` from the analyst's global git configuration (`~/.gitconfig` over
/// `$XDG_CONFIG_HOME/git/config`), as git reads them.
fn global_user_name() -> Option<String> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")))
        .map(|dir| dir.join("git").join("config"));
    let global = std::env::var_os("GIT_CONFIG_GLOBAL")
        .map(PathBuf::from)
        .or_else(|| home.map(|h| h.join(".gitconfig")));
    global
        .and_then(|p| user_name_in(&p))
        .or_else(|| xdg.and_then(|p| user_name_in(&p)))
}

fn user_name_in(path: &Path) -> Option<String> {
    user_name(&std::fs::read_to_string(path).ok()?)
}

/// The last `name` of a `[user]` section in git configuration `text`.
pub fn user_name(text: &str) -> Option<String> {
    let mut in_user = false;
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            let section = header.split(']').next().unwrap_or("").trim();
            in_user = section.eq_ignore_ascii_case("user");
            continue;
        }
        if !in_user {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("name") {
            let value = config_value(value);
            found = (!value.is_empty()).then_some(value);
        }
    }
    found
}

/// A configuration value: quotes removed, a comment outside quotes cut off, `\"` and `\\`
/// unescaped.
fn config_value(raw: &str) -> String {
    let mut out = String::new();
    let (mut quoted, mut chars) = (false, raw.trim().chars());
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '#' | ';' if !quoted => break,
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(match next {
                        't' => '\t',
                        'n' => '\n',
                        other => other,
                    });
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_user_name_as_git_writes_it() {
        let config = "[core]\n\tname = not me\n[user]\n\temail = a@b\n\tname = \"Ana \\\"A\\\" Lyst\" # me\n[user \"x\"]\n\tname = other\n";
        assert_eq!(user_name(config).as_deref(), Some("Ana \"A\" Lyst"));
        assert_eq!(user_name("[User]\nName=Bo ; c\n").as_deref(), Some("Bo"));
        assert_eq!(user_name("[core]\nname = x\n"), None);
    }

    #[test]
    fn a_project_in_a_git_work_tree_takes_the_repository_user_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".git")).expect("git dir");
        std::fs::write(
            dir.path().join(".git").join("config"),
            "[user]\n\tname = Rania\n",
        )
        .expect("config");
        std::fs::create_dir_all(dir.path().join("sub")).expect("sub");
        let project = dir.path().join("sub").join("p.ron");
        assert_eq!(analyst_for(Some(&project)), "Rania");
        let outside = tempfile::tempdir().expect("temp dir");
        if git_dir(outside.path()).is_none() {
            assert_eq!(analyst_for(Some(&outside.path().join("p.ron"))), os_user());
        }
    }
}
