//! Lessons: guided steps over a live cluster. A lesson is data — a YAML file beside this one —
//! with a setup script and steps; each step says what to do and carries *checks*: read-only
//! kubectl queries whose output must match. Checking is pure: it runs the queries on a clone of
//! the learner's session, so it never changes their cluster.
//!
//! Every built-in lesson also carries, per step, a `solution` script; the tests replay them and
//! require each step to be pending before its solution and done after it, so a lesson cannot
//! silently rot when the engine changes.

use serde::Deserialize;

use crate::kubectl::script::run_script;
use crate::kubectl::{NoFiles, Session};

/// One lesson.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Stable id, used in URLs (`?lesson=daemonsets`).
    pub id: String,
    /// Title shown to the learner.
    pub title: String,
    /// One-paragraph introduction.
    pub summary: String,
    /// Seed of the lesson's cluster.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// A kubeplay script (the `kubeplay run` format) that builds the starting cluster.
    #[serde(default)]
    pub setup: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

fn default_seed() -> u64 {
    1
}

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Short title.
    pub title: String,
    /// What to do and why, in plain text.
    pub text: String,
    /// An optional hint (typically the command to type).
    #[serde(default)]
    pub hint: Option<String>,
    /// Every check must pass for the step to be done.
    pub checks: Vec<Check>,
    /// A script that completes the step (used by the tests and by a "show me" button).
    #[serde(default)]
    pub solution: String,
}

/// A read-only kubectl query and what its output must be.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// The command, e.g. `get ds fluentd -o jsonpath={.status.numberReady}`.
    pub query: String,
    /// Output (trimmed) equal to this.
    #[serde(default)]
    pub equals: Option<String>,
    /// Output containing this.
    #[serde(default)]
    pub contains: Option<String>,
    /// Output that is a whole number at least this (a learner may have done more than asked,
    /// such as adding a node early).
    #[serde(default)]
    pub at_least: Option<i64>,
}

/// Where a learner is on a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepStatus {
    /// Every check passes.
    Done,
    /// A check fails: the query, what it printed and what it should print, to explain why.
    Pending {
        /// The failing query.
        query: String,
        /// Its output (stdout, or stderr if it failed).
        got: String,
        /// What the check wants, in words ([`Check::wants`]).
        want: String,
    },
}

impl Check {
    /// What the check wants the query to print, said to a learner: "4", "nothing", "a number
    /// of at least 4", "output containing pod/ssd-monitor-"; "no error" for a check that only
    /// wants the query to work.
    pub fn wants(&self) -> String {
        let mut parts = Vec::new();
        match self.equals.as_deref().map(str::trim) {
            Some("") => parts.push("nothing".to_string()),
            Some(want) => parts.push(want.to_string()),
            None => {}
        }
        if let Some(want) = &self.contains {
            parts.push(format!("output containing {want}"));
        }
        if let Some(min) = self.at_least {
            parts.push(format!("a number of at least {min}"));
        }
        if parts.is_empty() {
            "no error".to_string()
        } else {
            parts.join(", and ")
        }
    }
}

/// Errors in lesson data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LessonError {
    /// The YAML does not describe a lesson.
    #[error("lesson {file}: {message}")]
    Parse {
        /// Which file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A check uses a verb that could change the cluster.
    #[error("lesson {lesson}: check {query:?} is not a read-only query (use get, describe, logs)")]
    NotReadOnly {
        /// Which lesson.
        lesson: String,
        /// The offending query.
        query: String,
    },
}

const BUILTIN: &[(&str, &str)] = &[
    ("daemonsets.yaml", include_str!("daemonsets.yaml")),
    ("ds-update.yaml", include_str!("ds-update.yaml")),
    ("reach-daemons.yaml", include_str!("reach-daemons.yaml")),
    ("jobs.yaml", include_str!("jobs.yaml")),
];

/// `sim curl` only reads the cluster (its pick of an endpoint draws from the RNG of the clone the
/// checks run on).
const READ_ONLY_VERBS: &[&str] = &["get", "describe", "logs", "sim time", "sim dns", "sim curl"];

/// Parses one lesson file and checks its queries are read-only.
pub fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
    let lesson: Lesson = serde_yaml::from_str(text).map_err(|e| LessonError::Parse {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    for step in &lesson.steps {
        for c in &step.checks {
            let q = c.query.trim().trim_start_matches("kubectl ").trim_start();
            if !READ_ONLY_VERBS.iter().any(|v| q.starts_with(v)) {
                return Err(LessonError::NotReadOnly {
                    lesson: lesson.id.clone(),
                    query: c.query.clone(),
                });
            }
        }
    }
    Ok(lesson)
}

/// The built-in lessons, in order. Lesson files are checked by the tests, so this never fails
/// in a release; a broken file is skipped rather than taking the page down.
pub fn builtin() -> Vec<Lesson> {
    BUILTIN
        .iter()
        .filter_map(|(file, text)| parse(file, text).ok())
        .collect()
}

impl Lesson {
    /// A fresh session with the lesson's setup script run.
    pub fn start(&self) -> Session {
        let mut session = Session::new(self.seed);
        // Setup errors show up in the lesson tests; a learner still gets the cluster as far as
        // it got.
        let _ = run_script(&mut session, &self.setup, false, &NoFiles);
        session
    }
}

/// Checks one step against the learner's session, without changing it.
pub fn check(session: &Session, step: &Step) -> StepStatus {
    let mut probe = session.clone();
    for c in &step.checks {
        let out = probe.run(&c.query, None, &NoFiles);
        let got = if out.ok { out.stdout } else { out.stderr };
        let trimmed = got.trim();
        let pass = out.ok
            && c.equals
                .as_deref()
                .is_none_or(|want| trimmed == want.trim())
            && c.contains
                .as_deref()
                .is_none_or(|want| trimmed.contains(want))
            && c.at_least
                .is_none_or(|min| trimmed.parse::<i64>().is_ok_and(|n| n >= min));
        if !pass {
            return StepStatus::Pending {
                query: c.query.clone(),
                got: trimmed.to_string(),
                want: c.wants(),
            };
        }
    }
    StepStatus::Done
}

/// Moves a learner on from step `current`: past every step that is now done, stopping at the
/// first that is not (`steps.len()` when the lesson is finished). Earlier steps are not
/// re-checked: a later step may legitimately undo what an earlier one checked (adding a node
/// changes how many daemon pods are ready).
pub fn advance(session: &Session, lesson: &Lesson, current: usize) -> usize {
    let mut i = current;
    while let Some(step) = lesson.steps.get(i) {
        if check(session, step) != StepStatus::Done {
            break;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_lesson_parses() {
        for (file, text) in BUILTIN {
            parse(file, text).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(builtin().len(), BUILTIN.len());
    }

    #[test]
    fn each_step_is_pending_before_its_solution_and_done_after() {
        for lesson in builtin() {
            let mut session = lesson.start();
            assert!(
                !lesson.steps.is_empty(),
                "lesson {} has no steps",
                lesson.id
            );
            for (i, step) in lesson.steps.iter().enumerate() {
                assert!(
                    matches!(check(&session, step), StepStatus::Pending { .. }),
                    "lesson {} step {i} ({}) is done before its solution",
                    lesson.id,
                    step.title
                );
                let out = run_script(&mut session, &step.solution, true, &NoFiles).unwrap();
                assert!(
                    out.ok,
                    "lesson {} step {i} solution failed:\n{}",
                    lesson.id, out.stdout
                );
                assert_eq!(
                    check(&session, step),
                    StepStatus::Done,
                    "lesson {} step {i} ({}) not done after its solution:\n{}",
                    lesson.id,
                    step.title,
                    out.stdout
                );
            }
            assert_eq!(
                advance(&session, &lesson, lesson.steps.len() - 1),
                lesson.steps.len()
            );
        }
    }

    /// "Check my work" says what a failing check wants, not only what its query printed.
    #[test]
    fn a_check_says_what_it_wants() {
        let mk = |equals: Option<&str>, contains: Option<&str>, at_least: Option<i64>| Check {
            query: "get ds".into(),
            equals: equals.map(str::to_string),
            contains: contains.map(str::to_string),
            at_least,
        };
        for (c, want) in [
            (mk(Some("2"), None, None), "2"),
            (mk(Some(""), None, None), "nothing"),
            (mk(None, None, Some(4)), "a number of at least 4"),
            (
                mk(None, Some("pod/ssd-monitor-"), None),
                "output containing pod/ssd-monitor-",
            ),
            (
                mk(Some("node-1"), Some("node"), None),
                "node-1, and output containing node",
            ),
            (mk(None, None, None), "no error"),
        ] {
            assert_eq!(c.wants(), want, "{c:?}");
        }
        // The daemonsets lesson's second step, before a fourth node: printed 3, wants 4.
        let lesson = builtin()
            .into_iter()
            .find(|l| l.id == "daemonsets")
            .unwrap();
        let mut session = lesson.start();
        run_script(&mut session, &lesson.steps[0].solution, false, &NoFiles).unwrap();
        assert_eq!(
            check(&session, &lesson.steps[1]),
            StepStatus::Pending {
                query: "get ds fluentd -o jsonpath={.status.numberReady}".into(),
                got: "3".into(),
                want: "a number of at least 4".into(),
            }
        );
    }

    #[test]
    fn checks_must_be_read_only() {
        let text = "id: x\ntitle: X\nsummary: s\nsteps:\n- title: t\n  text: t\n  checks:\n  - query: delete pods --all\n";
        assert!(matches!(
            parse("x.yaml", text),
            Err(LessonError::NotReadOnly { .. })
        ));
    }

    /// A learner who adds a node before applying the first DaemonSet still completes the
    /// steps: the checks ask for every node's pod ready, at least as many as asked.
    #[test]
    fn a_learner_who_did_more_than_asked_still_completes_the_step() {
        let lesson = builtin()
            .into_iter()
            .find(|l| l.id == "daemonsets")
            .unwrap();
        let mut session = lesson.start();
        session.run("sim node add node-9", None, &NoFiles);
        let first = &lesson.steps[0];
        run_script(&mut session, &first.solution, false, &NoFiles).unwrap();
        assert_eq!(check(&session, first), StepStatus::Done);
        // `at_least` wants a whole number.
        let step = Step {
            checks: vec![Check {
                query: "get ds fluentd -o jsonpath={.metadata.name}".into(),
                equals: None,
                contains: None,
                at_least: Some(1),
            }],
            ..first.clone()
        };
        assert!(matches!(check(&session, &step), StepStatus::Pending { .. }));
    }

    #[test]
    fn checking_does_not_change_the_cluster() {
        let lesson = builtin().into_iter().next().unwrap();
        let session = lesson.start();
        let before = session.cluster.store().revision();
        assert_eq!(advance(&session, &lesson, 0), 0);
        assert_eq!(session.cluster.store().revision(), before);
    }
}
