//! localStorage autosave: the scenario (seed + compacted command log), the editor text, the
//! console history and the theme. Every read tolerates a missing or corrupt value (a private
//! window, an old format): the page then starts fresh instead of failing. When the browser denies
//! storage altogether (site data blocked, a third-party iframe under strict settings: reading
//! `window.localStorage` throws, and gloo's `LocalStorage` panics on that) nothing is read or
//! written: the page runs without saving.

use gloo::storage::{LocalStorage, Storage};

use super::lesson::SavedLesson;
use super::scenario::Scenario;

const SCENARIO: &str = "kubeplay.v1.scenario";
const EDITOR: &str = "kubeplay.v1.editor";
const HISTORY: &str = "kubeplay.v1.history";
const THEME: &str = "kubeplay.v1.theme";
const LESSON_PREFIX: &str = "kubeplay.v1.lesson.";

/// Console history entries kept across reloads.
pub const HISTORY_KEEP: usize = 500;

/// What a previous visit left.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Saved {
    /// The cluster, as a script.
    pub scenario: Option<Scenario>,
    /// Editor text.
    pub editor: Option<String>,
    /// Console history.
    pub history: Vec<String>,
}

/// Whether the browser lets the page use localStorage (see the module docs).
pub fn usable() -> bool {
    web_sys::window().is_some_and(|w| matches!(w.local_storage(), Ok(Some(_))))
}

/// Reads what was saved.
pub fn load() -> Saved {
    if !usable() {
        return Saved::default();
    }
    Saved {
        scenario: LocalStorage::get(SCENARIO).ok(),
        editor: LocalStorage::get(EDITOR).ok(),
        history: LocalStorage::get(HISTORY).unwrap_or_default(),
    }
}

/// Saves the cluster script.
pub fn save_scenario(s: &Scenario) {
    if !usable() {
        return;
    }
    // A full or disabled storage only loses the autosave; the page keeps working.
    let _ = LocalStorage::set(SCENARIO, s);
}

/// Saves the editor text.
pub fn save_editor(text: &str) {
    if !usable() {
        return;
    }
    let _ = LocalStorage::set(EDITOR, text);
}

/// Saves the console history (the newest [`HISTORY_KEEP`]).
pub fn save_history(history: &[String]) {
    if !usable() {
        return;
    }
    let skip = history.len().saturating_sub(HISTORY_KEEP);
    let kept: Vec<&String> = history.iter().skip(skip).collect();
    let _ = LocalStorage::set(HISTORY, kept);
}

/// The saved theme (`light`, `dark`), if one was picked.
pub fn load_theme() -> Option<String> {
    if !usable() {
        return None;
    }
    LocalStorage::get(THEME).ok()
}

/// Saves the theme; `system` forgets the choice.
pub fn save_theme(theme: &str) {
    if !usable() {
        return;
    }
    if theme == "system" {
        LocalStorage::delete(THEME);
    } else {
        let _ = LocalStorage::set(THEME, theme);
    }
}

/// A lesson in progress, saved under its id (each lesson keeps its own cluster, apart from the
/// learner's own session).
pub fn load_lesson(id: &str) -> Option<SavedLesson> {
    if !usable() {
        return None;
    }
    LocalStorage::get(format!("{LESSON_PREFIX}{id}")).ok()
}

/// Saves a lesson in progress.
pub fn save_lesson(id: &str, saved: &SavedLesson) {
    if !usable() {
        return;
    }
    let _ = LocalStorage::set(format!("{LESSON_PREFIX}{id}"), saved);
}

/// Forgets a lesson's progress (starting it again).
pub fn forget_lesson(id: &str) {
    if !usable() {
        return;
    }
    LocalStorage::delete(format!("{LESSON_PREFIX}{id}"));
}
