//! The page's state: one [`Playground`] reduced over [`UiAction`]s (yew `function_todomvc` shape).
//! Every cluster change goes through [`Session::run`] with the command line a learner could type;
//! the reducer adds no cluster logic. Natively tested.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Reducible;

use crate::engine::clock::Millis;
use crate::kubectl::script::run_script;
use crate::kubectl::{CommandOutput, NoFiles, Session};
use crate::lessons::Lesson;

use super::commands;
use super::lesson::{LessonState, SavedLesson};
use super::scenario::{self, Scenario};
use super::view_model;
use super::yaml::{self, Position};

/// One command shown in the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    /// Position among every entry ever shown (keys the view; survives the trimming to
    /// [`CONSOLE_KEEP`]).
    pub seq: u64,
    /// What ran (as typed, or as a button ran it).
    pub command: String,
    /// Its stdout.
    pub stdout: String,
    /// Its stderr.
    pub stderr: String,
    /// Whether it succeeded.
    pub ok: bool,
}

/// The result of the last Apply/Delete, shown beside the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorFeedback {
    /// What ran: `"apply"` or `"delete"`.
    pub verb: &'static str,
    /// Whether the command succeeded.
    pub ok: bool,
    /// Its output (stdout then stderr).
    pub text: String,
    /// Where the error points, when it says.
    pub position: Option<Position>,
}

/// Simulation speeds offered (multiples of real time).
pub const SPEEDS: &[f64] = &[0.5, 1.0, 2.0, 5.0, 10.0, 20.0];

/// Console lines kept on screen (older ones scroll away; history keeps every command).
pub const CONSOLE_KEEP: usize = 200;

/// Lines of a watch's output kept in its console entry: a long watch over a big cluster
/// scrolls its oldest lines away, as a terminal's scrollback does, so every redraw stays small.
pub const WATCH_KEEP_LINES: usize = 1_000;

/// Everything on the page.
#[derive(Debug, Clone)]
pub struct Playground {
    /// The cluster and its command log, shared by every copy of the page state and changed in
    /// place: the reducer copies the state on every action, and copying a cluster of thousands of
    /// pods and events on every play tick costs far more than a frame. Views key their redraws
    /// on [`Playground::generation`], which every change bumps.
    pub session: Rc<RefCell<Session>>,
    /// Editor text.
    pub editor: String,
    /// Editor text before the last example replaced it ("edits are never lost").
    pub editor_previous: Option<String>,
    /// Outcome of the last Apply/Delete.
    pub feedback: Option<EditorFeedback>,
    /// Console transcript.
    pub console: Vec<ConsoleEntry>,
    /// Entries ever pushed to the console (the next entry's `seq`).
    pub console_seq: u64,
    /// Console input.
    pub prompt: String,
    /// Completion choices shown under the prompt.
    pub choices: Vec<String>,
    /// Commands typed, oldest first.
    pub history: Vec<String>,
    /// Index into `history` while browsing with ↑/↓.
    pub history_pos: Option<usize>,
    /// Whether time runs.
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed_idx: usize,
    /// Cluster view page.
    pub page: usize,
    /// Events filter (`pod/`, a name).
    pub event_filter: String,
    /// Bumps on every change to the session (keys autosave and redraws).
    pub generation: u64,
    /// A message for the status line (import errors, resets).
    pub notice: Option<String>,
    /// The lesson being followed, if the page was opened on one (`?lesson=ID`).
    pub lesson: Option<LessonState>,
}

impl PartialEq for Playground {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
            && self.editor == other.editor
            && self.editor_previous == other.editor_previous
            && self.feedback == other.feedback
            && self.console == other.console
            && self.console_seq == other.console_seq
            && self.prompt == other.prompt
            && self.choices == other.choices
            && self.history == other.history
            && self.history_pos == other.history_pos
            && self.playing == other.playing
            && self.speed_idx == other.speed_idx
            && self.page == other.page
            && self.event_filter == other.event_filter
            && self.notice == other.notice
            && self.lesson == other.lesson
    }
}

/// What the page can do.
#[derive(Debug, Clone, PartialEq)]
pub enum UiAction {
    /// A button's command (shown in the console as if typed).
    Run {
        /// The command line.
        line: String,
        /// Stdin for `-f -`.
        stdin: Option<String>,
    },
    /// The console input changed.
    Prompt(String),
    /// Enter in the console.
    Submit,
    /// ↑ in the console.
    HistoryPrev,
    /// ↓ in the console.
    HistoryNext,
    /// Tab in the console.
    Complete,
    /// Clears the console transcript.
    ClearConsole,
    /// The editor text changed.
    Edit(String),
    /// Replaces the editor text with an example (keeping the old text to restore).
    LoadExample(String),
    /// Puts back the text an example replaced.
    RestoreEditor,
    /// `kubectl apply -f -` with the editor text.
    Apply,
    /// `kubectl delete -f -` with the editor text.
    Delete,
    /// Wall-clock tick while playing: advance `ms` of real time × speed.
    Tick(Millis),
    /// Ticks keep taking longer than the page can afford (the work of the last one, in ms):
    /// slow down one speed, or pause at the slowest.
    SlowTicks(u32),
    /// Play/pause.
    SetPlaying(bool),
    /// Space: play if paused, pause if playing.
    TogglePlay,
    /// Pick a speed (index into [`SPEEDS`]).
    SetSpeed(usize),
    /// Advance one second.
    Step,
    /// Advance to the next timer.
    NextEvent,
    /// Start over from the default scenario (the editor text stays).
    Reset,
    /// Load a scenario (import, URL).
    Load(Scenario),
    /// Show a message.
    Notice(Option<String>),
    /// Cluster view page.
    Page(usize),
    /// Events filter text.
    FilterEvents(String),
    /// "Check my work" on the current lesson step.
    CheckLesson,
    /// Runs the current lesson step's solution script (shown in the console).
    RunSolution,
    /// Ctrl+C in the prompt, or the Stop button: ends the open `kubectl get -w`.
    StopWatch,
}

impl Playground {
    /// A page over a replayed scenario.
    pub fn from_scenario(s: &Scenario, history: Vec<String>, editor: Option<String>) -> Self {
        let mut session = scenario::replay(s);
        // A watch the replayed commands opened has no console to print to any more.
        session.stop_watch();
        Playground {
            session: Rc::new(RefCell::new(session)),
            editor: editor.or_else(|| s.editor.clone()).unwrap_or_default(),
            editor_previous: None,
            feedback: None,
            console: Vec::new(),
            console_seq: 0,
            prompt: String::new(),
            choices: Vec::new(),
            history,
            history_pos: None,
            playing: false,
            speed_idx: 1,
            page: 0,
            event_filter: String::new(),
            generation: 0,
            notice: None,
            lesson: None,
        }
    }

    /// A page over a lesson: its saved cluster (`saved`, with the step reached) or its setup.
    pub fn from_lesson(lesson: Lesson, saved: Option<SavedLesson>) -> Self {
        let mut st = LessonState::new(lesson);
        let mut pg = match saved {
            Some(saved) => {
                st.current = saved.step.min(st.lesson.steps.len());
                Playground::from_scenario(&saved.scenario, Vec::new(), None)
            }
            None => {
                let mut pg = Playground::from_scenario(
                    &Scenario {
                        seed: st.lesson.seed,
                        script: Vec::new(),
                        editor: None,
                    },
                    Vec::new(),
                    None,
                );
                pg.session = Rc::new(RefCell::new(st.lesson.start()));
                pg
            }
        };
        pg.lesson = Some(st);
        pg
    }

    /// What to save of the lesson in progress.
    pub fn lesson_save(&self) -> Option<(String, SavedLesson)> {
        let st = self.lesson.as_ref()?;
        Some((
            st.lesson.id.clone(),
            SavedLesson {
                scenario: scenario::from_session(&self.session.borrow(), &self.editor),
                step: st.current,
            },
        ))
    }

    /// After a change to the cluster: move the lesson past the steps now done.
    fn follow_lesson(&mut self, explicit: bool) {
        let Some(mut st) = self.lesson.take() else {
            return;
        };
        let done = match self.session.try_borrow() {
            Ok(session) if explicit => st.check(&session),
            Ok(session) => st.follow(&session),
            Err(_) => Vec::new(),
        };
        if let Some(msg) = st.announce(&done) {
            self.notice = Some(msg);
        }
        self.lesson = Some(st);
    }

    fn run_solution(&mut self) {
        let Some(step) = self
            .lesson
            .as_ref()
            .and_then(|st| st.lesson.steps.get(st.current).cloned())
        else {
            return;
        };
        let out = match self.session.try_borrow_mut() {
            Ok(mut session) => {
                run_script(&mut session, &step.solution, true, &NoFiles).map_err(|e| e.to_string())
            }
            Err(_) => Err("error: the cluster is busy; try again".into()),
        };
        self.generation += 1;
        let (stdout, ok) = match out {
            Ok(o) => (o.stdout, o.ok),
            Err(e) => (format!("{e}\n"), false),
        };
        self.console.push(ConsoleEntry {
            seq: self.console_seq,
            command: format!("# solution of step: {}", step.title),
            stdout,
            stderr: String::new(),
            ok,
        });
        self.console_seq += 1;
        let excess = self.console.len().saturating_sub(CONSOLE_KEEP);
        self.console.drain(..excess);
    }

    /// Current speed multiplier.
    pub fn speed(&self) -> f64 {
        SPEEDS.get(self.speed_idx).copied().unwrap_or(1.0)
    }

    fn exec(&mut self, line: &str, stdin: Option<&str>, echo: bool) -> ConsoleEntry {
        let out = match self.session.try_borrow_mut() {
            Ok(mut session) => session.run(line, stdin, &NoFiles),
            // Unreachable on the page's single thread (views borrow only while they draw).
            Err(_) => CommandOutput {
                stdout: String::new(),
                stderr: "error: the cluster is busy; try again\n".into(),
                ok: false,
            },
        };
        self.generation += 1;
        let entry = ConsoleEntry {
            seq: self.console_seq,
            command: line.to_string(),
            stdout: out.stdout,
            stderr: out.stderr,
            ok: out.ok,
        };
        if echo {
            self.console_seq += 1;
            self.console.push(entry.clone());
            let excess = self.console.len().saturating_sub(CONSOLE_KEEP);
            self.console.drain(..excess);
        }
        entry
    }

    /// One play tick: simulated time moves on; what an open watch saw goes to the console.
    fn tick(&mut self, sim: Millis) {
        let line = commands::advance(sim);
        let watched = match self.session.try_borrow_mut() {
            Ok(mut session) => {
                let _ = session.run_leaving_watch(&line, None, &NoFiles);
                session.poll_watch()
            }
            Err(_) => return,
        };
        self.generation += 1;
        self.append_watch(&watched.stdout, &watched.stderr);
    }

    /// Adds a watch's lines to the console: to the last entry (the `get -w`, or the last
    /// command that kept it open), as a terminal would print them below.
    fn append_watch(&mut self, stdout: &str, stderr: &str) {
        if stdout.is_empty() && stderr.is_empty() {
            return;
        }
        if self.console.is_empty() {
            let command = self
                .session
                .try_borrow()
                .ok()
                .and_then(|s| s.watching().map(str::to_string))
                .unwrap_or_default();
            self.console.push(ConsoleEntry {
                seq: self.console_seq,
                command,
                stdout: String::new(),
                stderr: String::new(),
                ok: true,
            });
            self.console_seq += 1;
        }
        if let Some(e) = self.console.last_mut() {
            e.stdout.push_str(stdout);
            e.stderr.push_str(stderr);
            keep_last_lines(&mut e.stdout, WATCH_KEEP_LINES);
        }
    }

    /// Whether a `kubectl get -w` is open, and its command line.
    pub fn watching(&self) -> Option<String> {
        self.session
            .try_borrow()
            .ok()
            .and_then(|s| s.watching().map(str::to_string))
    }

    fn editor_command(&mut self, verb: &'static str) {
        let line = format!("kubectl {verb} -f -");
        let text = self.editor.clone();
        let e = self.exec(&line, Some(&text), true);
        let both = format!("{}{}", e.stdout, e.stderr);
        self.feedback = Some(EditorFeedback {
            verb,
            ok: e.ok,
            position: if e.ok {
                None
            } else {
                // The field an API server error names, else a YAML syntax error's position.
                yaml::field_position(&text, &e.stderr).or_else(|| yaml::error_position(&e.stderr))
            },
            text: both.trim_end().to_string(),
        });
    }

    fn browse_history(&mut self, older: bool) {
        if self.history.is_empty() {
            return;
        }
        let last = self.history.len() - 1;
        let pos = match (self.history_pos, older) {
            (None, true) => Some(last),
            (None, false) => None,
            (Some(p), true) => Some(p.saturating_sub(1)),
            (Some(p), false) if p >= last => None,
            (Some(p), false) => Some(p + 1),
        };
        self.history_pos = pos;
        self.prompt = pos
            .and_then(|p| self.history.get(p).cloned())
            .unwrap_or_default();
    }

    /// Applies one action; a lesson then moves past the steps the cluster now satisfies.
    pub fn apply(&mut self, action: UiAction) {
        let follow = match &action {
            UiAction::Run { .. }
            | UiAction::Submit
            | UiAction::Apply
            | UiAction::Delete
            | UiAction::Step
            | UiAction::NextEvent
            | UiAction::RunSolution => Some(false),
            // While playing, checked about once a second (every tenth tick).
            UiAction::Tick(_) => {
                (self.playing && (self.generation + 1).is_multiple_of(10)).then_some(false)
            }
            UiAction::CheckLesson => Some(true),
            _ => None,
        };
        if action == UiAction::Reset {
            if let Some(st) = &self.lesson {
                let lesson = (*st.lesson).clone();
                let (generation, console_seq) = (self.generation + 1, self.console_seq);
                let history = std::mem::take(&mut self.history);
                let editor = std::mem::take(&mut self.editor);
                *self = Playground::from_lesson(lesson, None);
                self.history = history;
                self.editor = editor;
                self.generation = generation;
                self.console_seq = console_seq;
                self.notice = Some("The lesson starts again from its first step.".into());
                return;
            }
        }
        self.apply_action(action);
        if let Some(explicit) = follow {
            self.follow_lesson(explicit);
        }
    }

    fn apply_action(&mut self, action: UiAction) {
        match action {
            UiAction::Run { line, stdin } => {
                let e = self.exec(&line, stdin.as_deref(), true);
                // A button's command can fail where its output is not in view (the console is
                // another pane on a phone): say so in the status line too.
                if !e.ok {
                    let why = view_model::error_summary(&e.stderr);
                    self.notice = Some(format!("{line}: {why}"));
                }
            }
            UiAction::Prompt(p) => {
                self.prompt = p;
                self.choices.clear();
            }
            UiAction::Submit => {
                let line = self.prompt.trim().to_string();
                self.prompt.clear();
                self.choices.clear();
                self.history_pos = None;
                if line.is_empty() {
                    return;
                }
                if line == "clear" {
                    self.console.clear();
                } else {
                    self.exec(&line, None, true);
                }
                if self.history.last() != Some(&line) {
                    self.history.push(line);
                }
            }
            UiAction::HistoryPrev => self.browse_history(true),
            UiAction::HistoryNext => self.browse_history(false),
            UiAction::Complete => {
                let session = self.session.borrow();
                let c =
                    commands::complete(&self.prompt, session.cluster.store(), session.namespace());
                self.prompt = c.line;
                self.choices = c.choices;
            }
            UiAction::ClearConsole => self.console.clear(),
            UiAction::Edit(text) => self.editor = text,
            UiAction::LoadExample(id) => {
                if let Some(ex) = scenario::example(&id) {
                    if self.editor.trim() != ex.yaml.trim() {
                        let old = std::mem::replace(&mut self.editor, ex.yaml.to_string());
                        // Going from one unedited example to the next (arrow keys on the menu)
                        // keeps the learner's own text as the one to restore.
                        let keep_saved = self.editor_previous.is_some()
                            && scenario::EXAMPLES
                                .iter()
                                .any(|e| e.yaml.trim() == old.trim());
                        if !old.trim().is_empty() && !keep_saved {
                            self.editor_previous = Some(old);
                        }
                    }
                    self.feedback = None;
                }
            }
            UiAction::RestoreEditor => {
                if let Some(prev) = self.editor_previous.take() {
                    self.editor_previous = Some(std::mem::replace(&mut self.editor, prev));
                }
            }
            UiAction::Apply => self.editor_command("apply"),
            UiAction::Delete => self.editor_command("delete"),
            UiAction::Tick(ms) => {
                if self.playing {
                    // Rounded to whole milliseconds; the log stays exact.
                    let sim = (ms as f64 * self.speed()).round() as Millis;
                    if sim > 0 {
                        self.tick(sim);
                    }
                }
            }
            UiAction::SlowTicks(work_ms) => {
                if self.playing {
                    let old = self.speed();
                    if self.speed_idx > 0 {
                        self.speed_idx -= 1;
                        self.notice = Some(format!(
                            "The simulation could not keep up at {old}× (a tick took {work_ms} ms \
                             of work): slowed to {}×.",
                            self.speed()
                        ));
                    } else {
                        self.playing = false;
                        self.notice = Some(format!(
                            "Paused: the cluster is too large to play smoothly even at {old}× (a \
                             tick took {work_ms} ms of work). Step through time with Step or Next \
                             event, or `sim advance`."
                        ));
                    }
                }
            }
            UiAction::SetPlaying(p) => self.playing = p,
            UiAction::TogglePlay => self.playing = !self.playing,
            UiAction::SetSpeed(i) => {
                if i < SPEEDS.len() {
                    self.speed_idx = i;
                }
            }
            UiAction::Step => {
                self.exec(&commands::advance(1000), None, true);
            }
            UiAction::NextEvent => {
                let (now, wake) = {
                    let session = self.session.borrow();
                    (session.cluster.now(), session.cluster.next_wake())
                };
                match wake {
                    Some(t) if t > now => {
                        self.exec(&commands::advance(t.since(now)), None, true);
                    }
                    Some(_) => {
                        self.exec(&commands::advance(1), None, true);
                    }
                    None => self.notice = Some("Nothing is scheduled: the cluster is idle.".into()),
                }
            }
            UiAction::Reset => {
                let editor = std::mem::take(&mut self.editor);
                let history = std::mem::take(&mut self.history);
                let (generation, console_seq) = (self.generation + 1, self.console_seq);
                *self =
                    Playground::from_scenario(&scenario::default_scenario(), history, Some(editor));
                self.generation = generation;
                self.console_seq = console_seq;
                self.notice = Some("The cluster was reset to the default scenario.".into());
            }
            UiAction::Load(sc) => {
                let history = std::mem::take(&mut self.history);
                let editor = sc
                    .editor
                    .clone()
                    .unwrap_or_else(|| std::mem::take(&mut self.editor));
                let (generation, console_seq) = (self.generation + 1, self.console_seq);
                let previous = std::mem::take(&mut self.editor);
                *self = Playground::from_scenario(&sc, history, Some(editor));
                self.console_seq = console_seq;
                if !previous.trim().is_empty() && previous != self.editor {
                    self.editor_previous = Some(previous);
                }
                self.generation = generation;
                self.notice = Some(format!(
                    "Loaded a scenario of {} commands.",
                    sc.script.len()
                ));
            }
            UiAction::Notice(n) => self.notice = n,
            UiAction::Page(p) => self.page = p,
            UiAction::FilterEvents(f) => self.event_filter = f,
            UiAction::CheckLesson => {}
            UiAction::RunSolution => self.run_solution(),
            UiAction::StopWatch => {
                if let Ok(mut session) = self.session.try_borrow_mut() {
                    session.stop_watch();
                }
                self.generation += 1;
            }
        }
    }
}

/// Drops the oldest lines of `text` beyond `keep`.
fn keep_last_lines(text: &mut String, keep: usize) {
    let lines = text.lines().count();
    if lines <= keep {
        return;
    }
    let cut = text
        .match_indices('\n')
        .nth(lines - keep - 1)
        .map_or(0, |(i, _)| i + 1);
    text.drain(..cut);
}

impl Reducible for Playground {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        next.into()
    }
}

#[cfg(test)]
mod tests;
