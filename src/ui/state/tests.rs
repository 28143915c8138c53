//! Reducer tables: each action's effect on the page state and on the session's command log (the
//! command a button runs is exactly what the console would run).

use super::*;
use crate::ui::scenario::Scenario;

fn empty() -> Playground {
    let sc = Scenario {
        seed: 1,
        script: Vec::new(),
        editor: Some("kind: Job\n".into()),
    };
    Playground::from_scenario(&sc, Vec::new(), None)
}

fn log_lines(p: &Playground) -> Vec<String> {
    p.session
        .borrow()
        .log
        .iter()
        .map(|(l, _)| l.clone())
        .collect()
}

struct Case {
    name: &'static str,
    actions: Vec<UiAction>,
    want_log: Vec<(&'static str, Option<&'static str>)>,
    want_console: Vec<&'static str>,
}

#[test]
fn actions_run_the_console_command_lines() {
    let cases = [
        Case {
            name: "button runs echo into the console",
            actions: vec![UiAction::Run {
                line: "sim node add n4 --labels a=b".into(),
                stdin: None,
            }],
            want_log: vec![("sim node add n4 --labels a=b", None)],
            want_console: vec!["sim node add n4 --labels a=b"],
        },
        Case {
            name: "apply sends the editor text as stdin",
            actions: vec![UiAction::Edit("kind: Pod\n".into()), UiAction::Apply],
            want_log: vec![("kubectl apply -f -", Some("kind: Pod\n"))],
            want_console: vec!["kubectl apply -f -"],
        },
        Case {
            name: "delete sends the editor text as stdin",
            actions: vec![UiAction::Delete],
            want_log: vec![("kubectl delete -f -", Some("kind: Job\n"))],
            want_console: vec!["kubectl delete -f -"],
        },
        Case {
            name: "ticks advance silently only while playing",
            actions: vec![
                UiAction::Tick(100),
                UiAction::SetPlaying(true),
                UiAction::SetSpeed(5),
                UiAction::Tick(100),
                UiAction::SetSpeed(0),
                UiAction::Tick(100),
            ],
            want_log: vec![("sim advance 2s", None), ("sim advance 50ms", None)],
            want_console: vec![],
        },
        Case {
            name: "step is one second, echoed",
            actions: vec![UiAction::Step],
            want_log: vec![("sim advance 1s", None)],
            want_console: vec!["sim advance 1s"],
        },
        Case {
            name: "typed commands run as typed; blank and clear do not run",
            actions: vec![
                UiAction::Prompt("  get pods  ".into()),
                UiAction::Submit,
                UiAction::Prompt("   ".into()),
                UiAction::Submit,
                UiAction::Prompt("clear".into()),
                UiAction::Submit,
                UiAction::Prompt("get nodes".into()),
                UiAction::Submit,
            ],
            want_log: vec![("get pods", None), ("get nodes", None)],
            want_console: vec!["get nodes"],
        },
        Case {
            name: "an idle cluster has no next event",
            actions: vec![UiAction::NextEvent],
            want_log: vec![],
            want_console: vec![],
        },
    ];
    for case in cases {
        let mut p = empty();
        for a in case.actions {
            p.apply(a);
        }
        let want: Vec<(String, Option<String>)> = case
            .want_log
            .iter()
            .map(|(l, s)| (l.to_string(), s.map(str::to_string)))
            .collect();
        assert_eq!(p.session.borrow().log, want, "{}", case.name);
        let console: Vec<&str> = p.console.iter().map(|e| e.command.as_str()).collect();
        assert_eq!(console, case.want_console, "{}", case.name);
    }
}

#[test]
fn history_browses_up_and_down() {
    let mut p = empty();
    for cmd in ["get pods", "get nodes", "get nodes", "get ds"] {
        p.apply(UiAction::Prompt(cmd.into()));
        p.apply(UiAction::Submit);
    }
    assert_eq!(p.history, vec!["get pods", "get nodes", "get ds"]);
    let mut seen = Vec::new();
    for a in [
        UiAction::HistoryPrev,
        UiAction::HistoryPrev,
        UiAction::HistoryPrev,
        UiAction::HistoryPrev,
        UiAction::HistoryNext,
        UiAction::HistoryNext,
        UiAction::HistoryNext,
    ] {
        p.apply(a);
        seen.push(p.prompt.clone());
    }
    assert_eq!(
        seen,
        vec![
            "get ds",
            "get nodes",
            "get pods",
            "get pods",
            "get nodes",
            "get ds",
            ""
        ]
    );
}

#[test]
fn complete_fills_the_prompt() {
    let mut p = empty();
    p.apply(UiAction::Prompt("desc".into()));
    p.apply(UiAction::Complete);
    assert_eq!(p.prompt, "describe ");
    assert!(p.choices.is_empty());
    p.apply(UiAction::Prompt("d".into()));
    p.apply(UiAction::Complete);
    assert_eq!(p.choices, vec!["delete", "describe", "diff", "drain"]);
    p.apply(UiAction::Prompt("de".into()));
    assert!(p.choices.is_empty(), "typing hides the choices");
}

#[test]
fn examples_never_lose_edits() {
    let mut p = empty();
    p.apply(UiAction::Edit("my own text".into()));
    p.apply(UiAction::LoadExample("pi-job".into()));
    assert!(p.editor.contains("name: pi"));
    assert_eq!(p.editor_previous.as_deref(), Some("my own text"));
    p.apply(UiAction::RestoreEditor);
    assert_eq!(p.editor, "my own text");
    p.apply(UiAction::LoadExample("no-such-example".into()));
    assert_eq!(p.editor, "my own text");
}

/// Arrow keys on the Examples menu load one example after the other: "Restore previous text"
/// still gives the learner's own text, not the example loaded before the last.
#[test]
fn browsing_examples_keeps_the_learners_own_text_to_restore() {
    let mut p = empty();
    p.apply(UiAction::Edit("my own text".into()));
    for id in ["fluentd-elasticsearch", "ssd-daemonset", "pi-job"] {
        p.apply(UiAction::LoadExample(id.into()));
    }
    assert!(p.editor.contains("name: pi"));
    assert_eq!(p.editor_previous.as_deref(), Some("my own text"));
    // An edited example is the learner's text too.
    p.apply(UiAction::Edit(format!("{}# mine\n", p.editor)));
    p.apply(UiAction::LoadExample("indexed-job".into()));
    assert!(p
        .editor_previous
        .as_deref()
        .is_some_and(|t| t.ends_with("# mine\n")));
    // From an unedited example with nothing saved yet, the example is what Restore gives.
    let mut q = empty();
    q.apply(UiAction::Edit(String::new()));
    q.apply(UiAction::LoadExample("pi-job".into()));
    q.apply(UiAction::LoadExample("failing-job".into()));
    assert!(q
        .editor_previous
        .as_deref()
        .is_some_and(|t| t.contains("name: pi")));
}

#[test]
fn failed_apply_keeps_the_text_and_reports() {
    let mut p = empty();
    p.apply(UiAction::Edit("kind: [".into()));
    p.apply(UiAction::Apply);
    assert_eq!(p.editor, "kind: [");
    let fb = p.feedback.clone().expect("feedback after apply");
    let last = p.console.last().expect("apply is echoed");
    assert_eq!(fb.ok, last.ok);
    if !fb.ok {
        assert_eq!(fb.position, crate::ui::yaml::error_position(&last.stderr));
    }
}

#[test]
fn reset_keeps_editor_and_history() {
    let mut p = empty();
    p.apply(UiAction::Edit("keep me".into()));
    p.apply(UiAction::Prompt("get pods".into()));
    p.apply(UiAction::Submit);
    let before = p.generation;
    p.apply(UiAction::Reset);
    assert_eq!(p.editor, "keep me");
    assert_eq!(p.history, vec!["get pods"]);
    assert!(p.console.is_empty());
    assert!(p.generation > before);
    let want: Vec<String> = crate::ui::scenario::default_scenario()
        .script
        .into_iter()
        .map(|e| e.command)
        .collect();
    assert_eq!(log_lines(&p), want);
}

#[test]
fn load_replays_the_script_and_offers_the_old_text_back() {
    let mut p = empty();
    p.apply(UiAction::Edit("mine".into()));
    let sc = crate::ui::scenario::named("nodes").expect("nodes scenario");
    p.apply(UiAction::Load(sc.clone()));
    let want: Vec<String> = sc.script.into_iter().map(|e| e.command).collect();
    assert_eq!(log_lines(&p), want);
    assert_eq!(p.editor, "");
    assert_eq!(p.editor_previous.as_deref(), Some("mine"));
}

#[test]
fn typing_does_not_copy_the_cluster() {
    let p = Rc::new(empty());
    let before = Rc::as_ptr(&p.session);
    let keep = p.clone();
    let next = p.reduce(UiAction::Edit("x".into()));
    assert_eq!(Rc::as_ptr(&next.session), before);
    assert_eq!(keep.editor, "kind: Job\n");
}

#[test]
fn speed_out_of_range_is_ignored() {
    let mut p = empty();
    p.apply(UiAction::SetSpeed(99));
    assert_eq!(p.speed(), 1.0);
    p.apply(UiAction::SetSpeed(5));
    assert_eq!(p.speed(), 20.0);
}

#[test]
fn slow_ticks_step_the_speed_down_then_pause() {
    let mut p = empty();
    p.apply(UiAction::SetSpeed(SPEEDS.len() - 1));
    // Not playing: nothing to slow down.
    p.apply(UiAction::SlowTicks(400));
    assert_eq!((p.speed(), p.notice.as_deref()), (20.0, None));
    p.apply(UiAction::SetPlaying(true));
    p.apply(UiAction::SlowTicks(400));
    assert_eq!(p.speed(), 10.0);
    assert!(p.playing);
    assert_eq!(
        p.notice.as_deref(),
        Some(
            "The simulation could not keep up at 20× (a tick took 400 ms of work): slowed to 10×."
        )
    );
    for _ in 0..4 {
        p.apply(UiAction::SlowTicks(300));
    }
    assert_eq!((p.speed(), p.playing), (0.5, true));
    p.apply(UiAction::SlowTicks(300));
    assert!(!p.playing, "paused at the slowest speed");
    assert_eq!(p.speed(), 0.5);
    assert!(p
        .notice
        .as_deref()
        .is_some_and(|n| n.starts_with("Paused: ")));
}

#[test]
fn console_entries_are_numbered_across_trimming_clear_and_reset() {
    let mut p = empty();
    for i in 0..CONSOLE_KEEP + 3 {
        p.apply(UiAction::Prompt(format!("sim advance {i}ms")));
        p.apply(UiAction::Submit);
    }
    let seqs: Vec<u64> = p.console.iter().map(|e| e.seq).collect();
    let want: Vec<u64> = (3..CONSOLE_KEEP as u64 + 3).collect();
    assert_eq!(
        seqs, want,
        "the oldest three were trimmed, the numbers kept"
    );
    assert_eq!(p.console_seq, CONSOLE_KEEP as u64 + 3);
    p.apply(UiAction::ClearConsole);
    p.apply(UiAction::Step);
    assert_eq!(
        p.console.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![CONSOLE_KEEP as u64 + 3]
    );
    p.apply(UiAction::Reset);
    assert!(p.console.is_empty());
    p.apply(UiAction::Step);
    assert_eq!(
        p.console.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![CONSOLE_KEEP as u64 + 4]
    );
}

#[test]
fn a_tick_does_not_copy_the_cluster() {
    let mut p = empty();
    p.apply(UiAction::SetPlaying(true));
    let p = Rc::new(p);
    let before = Rc::as_ptr(&p.session);
    let keep = p.clone();
    let next = p.reduce(UiAction::Tick(100));
    assert_eq!(
        Rc::as_ptr(&next.session),
        before,
        "the cluster is changed in place"
    );
    assert!(
        next.generation > keep.generation,
        "and the change is announced"
    );
}

fn submit(p: &mut Playground, line: &str) {
    p.apply(UiAction::Prompt(line.into()));
    p.apply(UiAction::Submit);
}

/// A watch streams into the console while the clock plays: the ticks' lines go to the entry of
/// the `get -w`, and a typed time-advancing command shows what happened as the CLI does.
#[test]
fn a_watch_streams_into_the_console_until_stopped() {
    let mut p = empty();
    submit(&mut p, "sim node add n1");
    submit(&mut p, "kubectl get pods -w");
    assert_eq!(p.watching().as_deref(), Some("kubectl get pods -w"));
    submit(&mut p, "kubectl run web --image=nginx");
    let run = p.console.last().unwrap().stdout.clone();
    assert!(run.starts_with("pod/web created\nNAME"), "{run}");
    p.apply(UiAction::SetPlaying(true));
    for _ in 0..40 {
        p.apply(UiAction::Tick(100));
    }
    let entry = p.console.last().unwrap();
    assert_eq!(entry.command, "kubectl run web --image=nginx");
    assert!(
        entry.stdout.lines().last().unwrap().contains("Running"),
        "{}",
        entry.stdout
    );
    // Ctrl+C / Stop: the watch ends and the ticks print nothing more.
    let generation = p.generation;
    p.apply(UiAction::StopWatch);
    assert!(p.watching().is_none());
    assert!(p.generation > generation, "the status line is redrawn");
    let before = p.console.last().unwrap().stdout.clone();
    submit(&mut p, "kubectl delete pod web --wait=false");
    p.apply(UiAction::Tick(100));
    assert_eq!(p.console.len(), 4);
    assert_eq!(p.console.get(2).unwrap().stdout, before);
    assert_eq!(p.console.get(3).unwrap().stdout, "pod \"web\" deleted\n");
}

#[test]
fn a_read_only_command_ends_the_watch() {
    let mut p = empty();
    submit(&mut p, "kubectl get pods -w");
    assert!(p.watching().is_some());
    submit(&mut p, "sim advance 5s");
    assert!(p.watching().is_some(), "time-advancing commands keep it");
    submit(&mut p, "kubectl get nodes");
    assert!(p.watching().is_none());
}

#[test]
fn keep_last_lines_drops_the_oldest() {
    let mut text = "a\nb\nc\nd\n".to_string();
    keep_last_lines(&mut text, 2);
    assert_eq!(text, "c\nd\n");
    keep_last_lines(&mut text, 5);
    assert_eq!(text, "c\nd\n");
}

fn in_lesson(id: &str) -> Playground {
    let lesson = crate::ui::lesson::find(id).unwrap_or_else(|| panic!("builtin lesson {id}"));
    Playground::from_lesson(lesson, None)
}

fn lesson_step(p: &Playground) -> usize {
    p.lesson.as_ref().map_or(usize::MAX, |l| l.current)
}

#[test]
fn lesson_check_run_solution_and_restart() {
    let mut p = in_lesson("daemonsets");
    assert_eq!(lesson_step(&p), 0);
    // The setup built the lesson's cluster with its seed.
    assert!(!log_lines(&p).is_empty());

    p.apply(UiAction::CheckLesson);
    assert!(
        matches!(
            p.lesson.as_ref().and_then(|l| l.verdict.clone()),
            Some(crate::lessons::StepStatus::Pending { .. })
        ),
        "a fresh cluster does not pass step 1"
    );
    assert_eq!(lesson_step(&p), 0);

    p.apply(UiAction::RunSolution);
    assert_eq!(lesson_step(&p), 1, "the solution completes step 1");
    assert!(p
        .console
        .last()
        .is_some_and(|e| e.command.starts_with("# solution of step:") && e.ok));
    assert!(p
        .notice
        .as_deref()
        .is_some_and(|n| n.starts_with("Step done:")));

    // A typed command that completes the next step moves the lesson on by itself.
    let step2 = p
        .lesson
        .as_ref()
        .and_then(|l| l.lesson.steps.get(1).cloned())
        .unwrap_or_else(|| panic!("step 2"));
    for line in step2.solution.lines().filter(|l| !l.trim().is_empty()) {
        p.apply(UiAction::Prompt(line.to_string()));
        p.apply(UiAction::Submit);
    }
    assert_eq!(lesson_step(&p), 2);

    // Saved progress restores the cluster and the step.
    let (id, saved) = p.lesson_save().unwrap_or_else(|| panic!("in a lesson"));
    assert_eq!(id, "daemonsets");
    let restored = Playground::from_lesson(
        crate::ui::lesson::find(&id).unwrap_or_else(|| panic!("lesson")),
        Some(saved),
    );
    assert_eq!(lesson_step(&restored), 2);
    assert_eq!(log_lines(&restored), log_lines(&p));

    // Reset in a lesson starts the lesson again (not the default scenario).
    p.apply(UiAction::Reset);
    assert_eq!(lesson_step(&p), 0);
    assert_eq!(log_lines(&p), log_lines(&in_lesson("daemonsets")));
}

#[test]
fn outside_a_lesson_lesson_actions_do_nothing() {
    let mut p = empty();
    p.apply(UiAction::CheckLesson);
    p.apply(UiAction::RunSolution);
    assert!(p.lesson.is_none());
    assert!(p.console.is_empty());
    assert!(log_lines(&p).is_empty());
}

#[test]
fn a_failing_button_command_is_said_in_the_status_line() {
    let mut p = empty();
    p.apply(UiAction::Run {
        line: "kubectl cordon nope".into(),
        stdin: None,
    });
    let notice = p.notice.clone().expect("a notice");
    assert!(
        notice.starts_with("kubectl cordon nope: ") && notice.contains("not found"),
        "{notice}"
    );
    p.apply(UiAction::Notice(None));
    p.apply(UiAction::Run {
        line: "sim node add n1".into(),
        stdin: None,
    });
    assert_eq!(p.notice, None, "a command that worked adds no notice");
}
