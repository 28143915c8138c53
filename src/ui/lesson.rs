//! A lesson in the page: which built-in lesson runs, the step the learner is on, and the last
//! check's verdict. The checking itself is [`crate::lessons`] (read-only queries on a copy of the
//! session); this only keeps the learner's place. Pure: tested natively.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::kubectl::Session;
use crate::lessons::{self, Lesson, StepStatus};

use super::scenario::Scenario;

/// The learner's place in a lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonState {
    /// The lesson (shared: it never changes while the page runs).
    pub lesson: Rc<Lesson>,
    /// Index of the current step (`steps.len()` once every step is done).
    pub current: usize,
    /// The verdict of the last "Check my work", if the learner asked since the step began.
    pub verdict: Option<StepStatus>,
}

/// What the page saves of a lesson in progress (its cluster as a script, and the step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedLesson {
    /// The lesson's cluster.
    pub scenario: Scenario,
    /// The step reached.
    pub step: usize,
}

/// The built-in lesson with this id.
pub fn find(id: &str) -> Option<Lesson> {
    lessons::builtin().into_iter().find(|l| l.id == id)
}

/// `(id, title)` of every built-in lesson, in order (the lessons menu).
pub fn menu() -> Vec<(String, String)> {
    lessons::builtin()
        .into_iter()
        .map(|l| (l.id, l.title))
        .collect()
}

/// The link to a lesson (`Some(id)`) or to the learner's own cluster (`None`). Embedded, it keeps
/// `embed=1`: a link without it would put the full page, toolbar and all, inside the iframe.
pub fn lesson_href(id: Option<&str>, embed: bool) -> String {
    let mut query: Vec<String> = id.map(|id| format!("lesson={id}")).into_iter().collect();
    if embed {
        query.push("embed=1".into());
    }
    format!("?{}", query.join("&"))
}

/// The lesson after this one, if any.
pub fn next_after(id: &str) -> Option<(String, String)> {
    let all = menu();
    let pos = all.iter().position(|(i, _)| i == id)?;
    all.into_iter().nth(pos + 1)
}

impl LessonState {
    /// At the first step.
    pub fn new(lesson: Lesson) -> Self {
        LessonState {
            lesson: Rc::new(lesson),
            current: 0,
            verdict: None,
        }
    }

    /// Whether every step is done.
    pub fn finished(&self) -> bool {
        self.current >= self.lesson.steps.len()
    }

    /// Moves past every step the cluster now satisfies. Returns the titles of the steps just
    /// completed, for the status line.
    pub fn follow(&mut self, session: &Session) -> Vec<String> {
        let next = lessons::advance(session, &self.lesson, self.current);
        let done = self
            .lesson
            .steps
            .iter()
            .skip(self.current)
            .take(next.saturating_sub(self.current))
            .map(|s| s.title.clone())
            .collect();
        if next != self.current {
            self.current = next;
            self.verdict = None;
        }
        done
    }

    /// "Check my work": the current step's verdict, moving on if it is done.
    pub fn check(&mut self, session: &Session) -> Vec<String> {
        let Some(step) = self.lesson.steps.get(self.current) else {
            return Vec::new();
        };
        match lessons::check(session, step) {
            StepStatus::Done => self.follow(session),
            pending => {
                self.verdict = Some(pending);
                Vec::new()
            }
        }
    }

    /// The status line after steps were completed.
    pub fn announce(&self, done: &[String]) -> Option<String> {
        let last = done.last()?;
        Some(if self.finished() {
            format!("Step done: {last}. Lesson complete!")
        } else {
            format!(
                "Step done: {last}. Next: step {} of {}.",
                self.current + 1,
                self.lesson.steps.len()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::script::run_script;
    use crate::kubectl::NoFiles;

    fn daemonsets() -> LessonState {
        LessonState::new(find("daemonsets").unwrap_or_else(|| panic!("builtin lesson")))
    }

    #[test]
    fn menu_lists_the_builtin_lessons_in_order() {
        let ids: Vec<String> = menu().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["daemonsets", "ds-update", "reach-daemons", "jobs"]);
        assert_eq!(
            next_after("daemonsets").map(|n| n.0).as_deref(),
            Some("ds-update")
        );
        assert_eq!(
            next_after("reach-daemons").map(|n| n.0).as_deref(),
            Some("jobs")
        );
        assert_eq!(next_after("jobs"), None);
        assert_eq!(find("nope"), None);
    }

    #[test]
    fn lesson_links_keep_the_compact_layout_when_embedded() {
        for (id, embed, href) in [
            (Some("jobs"), false, "?lesson=jobs"),
            (Some("jobs"), true, "?lesson=jobs&embed=1"),
            (None, false, "?"),
            (None, true, "?embed=1"),
        ] {
            assert_eq!(lesson_href(id, embed), href, "{id:?} embed={embed}");
        }
    }

    #[test]
    fn check_reports_why_then_follows_the_solution() {
        let mut st = daemonsets();
        let mut session = st.lesson.start();
        assert!(st.check(&session).is_empty());
        let Some(StepStatus::Pending { query, .. }) = st.verdict.clone() else {
            panic!(
                "the first step is pending on a fresh cluster: {:?}",
                st.verdict
            );
        };
        assert_eq!(query, st.lesson.steps[0].checks[0].query);
        assert_eq!(st.current, 0);

        let solution = st.lesson.steps[0].solution.clone();
        let out = run_script(&mut session, &solution, false, &NoFiles);
        assert!(out.is_ok_and(|o| o.ok));
        let done = st.follow(&session);
        assert_eq!(done, [st.lesson.steps[0].title.clone()]);
        assert_eq!(st.current, 1);
        assert_eq!(st.verdict, None, "a new step starts without a verdict");
        assert_eq!(
            st.announce(&done).as_deref(),
            Some(
                format!(
                    "Step done: {}. Next: step 2 of {}.",
                    st.lesson.steps[0].title,
                    st.lesson.steps.len()
                )
                .as_str()
            )
        );
        // Following again with nothing new changes nothing.
        assert!(st.follow(&session).is_empty());
        assert_eq!(st.current, 1);
    }

    /// A plain busybox DaemonSet: its shell exits at once (CrashLoopBackOff).
    const SSD_MONITOR_PLAIN_BUSYBOX: &str = "apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ssd-monitor
spec:
  selector:
    matchLabels: {app: ssd-monitor}
  template:
    metadata:
      labels: {app: ssd-monitor}
    spec:
      nodeSelector: {disktype: ssd}
      containers:
      - name: monitor
        image: busybox
EOF";

    /// The reach-daemons Push step the way its hint says: the Pod from the Editor, `kubectl
    /// expose` for the Service, the DaemonSet with the hint's command.
    const PUSH_THE_HINTS_WAY: &[&str] = &[
        "apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: stats-db
  labels: {app: stats-db}
spec:
  tolerations: [{key: dedicated, value: db, effect: NoSchedule}]
  nodeSelector: {kubernetes.io/hostname: node-3}
  containers:
  - name: db
    image: influxdb:2.7
    ports: [{containerPort: 8086}]
EOF",
        "kubectl expose pod stats-db --port=8086",
        "apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-pusher
spec:
  selector:
    matchLabels: {app: log-pusher}
  template:
    metadata:
      labels: {app: log-pusher}
    spec:
      containers:
      - name: pusher
        image: busybox:1.36
        command: [\"sh\", \"-c\", \"while true; do wget -qO- http://stats-db:8086/write; sleep 10; done\"]
EOF",
        "sim advance 30s",
        "kubectl logs -l app=log-pusher --prefix",
    ];

    /// What a learner types, following the steps' texts and hints rather than the solutions:
    /// (lesson, first step, commands one by one, steps done after them). The earlier steps run
    /// their solutions.
    const LEARNER_PATHS: &[(&str, usize, &[&str], usize)] = &[
        (
            "daemonsets",
            1,
            &["sim node add node-4", "sim advance 10s"],
            2,
        ),
        // Placement, not readiness: the label step is done even when the daemon crashes.
        (
            "daemonsets",
            2,
            &[
                SSD_MONITOR_PLAIN_BUSYBOX,
                "sim advance 30s",
                "kubectl label node node-2 disktype=ssd",
                "sim advance 30s",
            ],
            4,
        ),
        (
            "ds-update",
            2,
            &[
                "kubectl rollout undo ds/agent",
                "kubectl rollout status ds/agent",
            ],
            3,
        ),
        ("reach-daemons", 3, PUSH_THE_HINTS_WAY, 4),
        (
            "jobs",
            0,
            &[
                "kubectl create job hello --image=busybox -- sh -c 'echo hello; sleep 5'",
                "sim advance 30s",
            ],
            1,
        ),
    ];

    #[test]
    fn steps_done_the_learners_way_complete() {
        for (id, from, commands, until) in LEARNER_PATHS {
            let mut st = LessonState::new(find(id).unwrap_or_else(|| panic!("{id}")));
            let mut session = st.lesson.start();
            let steps = st.lesson.steps.clone();
            for step in &steps[..*from] {
                let _ = run_script(&mut session, &step.solution, false, &NoFiles);
                st.follow(&session);
            }
            assert_eq!(st.current, *from, "{id}: the earlier steps are done");
            // As typed: the page follows the lesson after every command.
            for command in *commands {
                let out = run_script(&mut session, command, false, &NoFiles);
                assert!(out.is_ok_and(|o| o.ok), "{id}: {command}");
                st.follow(&session);
            }
            let stuck = steps.get(st.current).map(|s| lessons::check(&session, s));
            assert!(
                st.current >= *until,
                "{id}: stopped at step {} the learner's way: {stuck:?}",
                st.current + 1
            );
        }
    }

    /// The Jobs lesson's steps 2 to 5 the way their hints say: an Editor example, edited as
    /// told, applied (`kubectl apply -f -`), then the hint's commands. Step 5's hint once gave
    /// only the patch, which fails with NotFound before the Job exists.
    #[test]
    fn jobs_lesson_hints_followed_literally_from_the_editor_examples() {
        let example = |id: &str| {
            crate::ui::scenario::example(id)
                .unwrap_or_else(|| panic!("example {id}"))
                .yaml
        };
        let pi = example("pi-job").replace("name: pi\n", "name: batch\n");
        let batch = pi.replace(
            "  backoffLimit: 4",
            "  backoffLimit: 4\n  completions: 6\n  parallelism: 2",
        );
        let flaky = example("failing-job").replace("name: always-fails", "name: flaky");
        let queue = example("work-queue-job").replace("name: job-wq", "name: queue");
        let long = batch
            .replace("name: batch\n", "name: long\n")
            .replace("completions: 6", "completions: 4")
            .replace(
                r#"command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]"#,
                r#"command: ["sleep", "60"]"#,
            );
        assert!(long.contains(r#"["sleep", "60"]"#), "{long}");
        let apply = |yaml: &str| format!("apply -f - <<EOF\n{yaml}EOF");
        let paths: [(Vec<String>, usize); 4] = [
            (vec![apply(&batch), "sim advance 2m".into()], 2),
            (
                vec![
                    apply(&flaky),
                    "sim advance 1m".into(),
                    "sim advance 1m".into(),
                ],
                3,
            ),
            (vec![apply(&queue), "sim advance 30s".into()], 4),
            (
                vec![
                    apply(&long),
                    "sim advance 10s".into(),
                    r#"kubectl patch job long --type merge -p '{"spec":{"parallelism":0}}'"#.into(),
                    "sim advance 40s".into(),
                ],
                5,
            ),
        ];
        let mut st = LessonState::new(find("jobs").unwrap_or_else(|| panic!("jobs")));
        let mut session = st.lesson.start();
        let first = st.lesson.steps[0].solution.clone();
        let _ = run_script(&mut session, &first, false, &NoFiles);
        st.follow(&session);
        for (commands, until) in paths {
            for command in &commands {
                let out = run_script(&mut session, command, false, &NoFiles);
                assert!(out.is_ok_and(|o| o.ok), "{command}");
                st.follow(&session);
            }
            assert_eq!(st.current, until, "after {commands:?}: {:?}", st.verdict);
        }
        let hint = st.lesson.steps[4].hint.clone().unwrap_or_default();
        for told in [
            "\"Job: pi\"",
            "completions: 4",
            "parallelism: 2",
            r#"["sleep", "60"]"#,
        ] {
            assert!(hint.contains(told), "the hint says {told}: {hint}");
        }
    }

    /// The first steps of ds-update and reach-daemons the way their hints say: the Editor's
    /// nodeSelector example, edited as told, applied (`kubectl apply -f -`), then the hint's
    /// commands. Their hints once said only "write the manifest" and gave a ports line.
    #[test]
    fn daemonset_first_steps_followed_literally_from_the_ssd_example() {
        let ssd = crate::ui::scenario::example("ssd-daemonset")
            .unwrap_or_else(|| panic!("example ssd-daemonset"))
            .yaml;
        let without_selector = ssd.replace("      nodeSelector:\n        disktype: ssd\n", "");
        assert_ne!(
            without_selector, ssd,
            "the example has the two nodeSelector lines"
        );
        let agent = without_selector
            .replace("ssd-monitor", "agent")
            .replace("- name: main", "- name: agent")
            .replace("docker.io/library/busybox", "busybox:1.36")
            .replace(
                "while true; do echo checking the ssd; sleep 10; done",
                "echo agent up; while true; do sleep 60; done",
            );
        let exporter = without_selector
            .replace("ssd-monitor", "node-exporter")
            .lines()
            .filter(|l| !l.trim_start().starts_with("command:"))
            .map(|l| {
                if l.trim_start().starts_with("image:") {
                    "        image: prom/node-exporter:v1.8.2\n        ports: [{name: metrics, containerPort: 9100, hostPort: 9100}]\n".to_string()
                } else {
                    format!("{l}\n")
                }
            })
            .collect::<String>();
        let apply = |yaml: &str| format!("apply -f - <<EOF\n{yaml}EOF");
        for (id, yaml, then, told) in [
            (
                "ds-update",
                agent,
                &["kubectl rollout status ds/agent --timeout=2m"][..],
                &[
                    "DaemonSet with a nodeSelector",
                    "`name: agent`",
                    "`busybox:1.36`",
                ][..],
            ),
            (
                "reach-daemons",
                exporter,
                &[
                    "kubectl rollout status ds/node-exporter",
                    "kubectl get nodes -o wide",
                    "sim curl 172.18.0.3:9100",
                ][..],
                &[
                    "DaemonSet with a nodeSelector",
                    "prom/node-exporter:v1.8.2",
                    "hostPort: 9100",
                ][..],
            ),
        ] {
            let mut st = LessonState::new(find(id).unwrap_or_else(|| panic!("{id}")));
            let hint = st.lesson.steps[0].hint.clone().unwrap_or_default();
            for t in told {
                assert!(hint.contains(t), "{id}: the hint says {t}: {hint}");
            }
            let mut session = st.lesson.start();
            for command in std::iter::once(apply(&yaml)).chain(then.iter().map(|c| c.to_string())) {
                let out = run_script(&mut session, &command, false, &NoFiles);
                assert!(out.is_ok_and(|o| o.ok), "{id}: {command}");
                st.follow(&session);
            }
            assert_eq!(st.current, 1, "{id}: {yaml}\n{:?}", st.verdict);
        }
    }

    /// The Push step's hint says what PUSH_THE_HINTS_WAY does (it once gave only the logs command).
    #[test]
    fn push_hint_says_how_to_build_the_database_and_the_pusher() {
        let lesson = find("reach-daemons").unwrap_or_else(|| panic!("reach-daemons"));
        let hint = lesson.steps[3].hint.clone().unwrap_or_default();
        for told in [
            "key: dedicated",
            "kubernetes.io/hostname: node-3",
            "kubectl expose pod stats-db --port=8086",
            "wget -qO- http://stats-db:8086/write",
            "kubectl logs -l app=log-pusher --prefix",
        ] {
            assert!(hint.contains(told), "the hint says {told}: {hint}");
        }
    }

    #[test]
    fn every_solution_in_turn_finishes_the_lesson() {
        for (id, _) in menu() {
            let mut st = LessonState::new(find(&id).unwrap_or_else(|| panic!("{id}")));
            let mut session = st.lesson.start();
            let steps = st.lesson.steps.clone();
            for step in &steps {
                let _ = run_script(&mut session, &step.solution, false, &NoFiles);
                st.follow(&session);
            }
            assert!(st.finished(), "{id}: stopped at step {}", st.current);
            assert!(st
                .announce(&["x".into()])
                .is_some_and(|a| a.ends_with("Lesson complete!")));
            assert!(st.check(&session).is_empty(), "{id}: nothing left to check");
        }
    }
}
