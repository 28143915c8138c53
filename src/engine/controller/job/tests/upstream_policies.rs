//! Helper tables of `pkg/controller/job`, case by case under upstream's names:
//! `success_policy_test.go` (`TestMatchSuccessPolicy`), `pod_failure_policy_test.go`
//! (`TestMatchPodFailurePolicy`) and `util/utils_test.go` (`TestFinishedCondition`,
//! `TestIsJobSucceeded`). The helpers are pure functions of their arguments, so there is
//! no second sync to check here; the controller tables that call them
//! (`TestSyncJobWithJobSuccessPolicy`, `TestSyncJobWithJobPodFailurePolicy`) check idempotence.

use super::super::indexed::Interval;
use super::super::pod_failure_policy::{match_pod_failure_policy, PodFailurePolicyAction};
use super::super::success_policy::match_success_policy;
use super::*;

fn intervals(runs: &[(i32, i32)]) -> OrderedIntervals {
    OrderedIntervals(
        runs.iter()
            .map(|&(first, last)| Interval { first, last })
            .collect(),
    )
}

fn sp_rule(indexes: Option<&str>, count: Option<i32>) -> SuccessPolicyRule {
    SuccessPolicyRule {
        succeeded_indexes: indexes.map(Into::into),
        succeeded_count: count,
    }
}

struct SuccessCase {
    name: &'static str,
    policy: Option<Vec<SuccessPolicyRule>>,
    succeeded: &'static [(i32, i32)],
    /// `wantMessage` (empty when `wantMetSuccessPolicy` is false).
    want: Option<&'static str>,
}

const MATCHED_0: Option<&str> = Some("Matched rules at index 0");

#[test]
fn test_match_success_policy() {
    let one = |indexes: Option<&str>, count: Option<i32>| Some(vec![sp_rule(indexes, count)]);
    // Every case has `completions: 10`. JobSuccessPolicy is GA (locked on) in 1.34, so
    // "JobSuccessPolicy is disabled" is kept only for its inputs: no policy, nothing matches.
    let cases = vec![
        SuccessCase {
            name: "JobSuccessPolicy is disabled",
            policy: None,
            succeeded: &[(0, 0)],
            want: None,
        },
        SuccessCase {
            name: "successPolicy is null",
            policy: None,
            succeeded: &[(0, 0)],
            want: None,
        },
        SuccessCase {
            name: "any rules are nothing",
            policy: Some(vec![]),
            succeeded: &[(0, 0)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes is invalid format",
            policy: one(Some("invalid-form"), None),
            succeeded: &[(0, 0)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes matched rules",
            policy: one(Some("0-2"), None),
            succeeded: &[(0, 2), (4, 7)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules",
            policy: one(Some("3"), None),
            succeeded: &[(0, 2)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededCount is specified; succeededIndexes matched rules",
            policy: one(None, Some(2)),
            succeeded: &[(0, 2)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededCount is specified; succeededIndexes didn't match rules",
            policy: one(None, Some(4)),
            succeeded: &[(0, 2)],
            want: None,
        },
        SuccessCase {
            name: "multiple rules; rules.succeededIndexes is specified; succeededIndexes met one of rules",
            policy: Some(vec![sp_rule(Some("9"), None), sp_rule(Some("4,6"), None)]),
            succeeded: &[(0, 2), (4, 7)],
            want: Some("Matched rules at index 1"),
        },
        SuccessCase {
            name: "multiple rules; rules.succeededIndexes is specified; succeededIndexes met all rules",
            policy: Some(vec![sp_rule(Some("0,1"), None), sp_rule(Some("5"), None)]),
            succeeded: &[(0, 2), (4, 7)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes met all rules",
            policy: one(Some("3-6"), Some(2)),
            succeeded: &[(0, 2), (4, 7)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes didn't match rules",
            policy: one(Some("3-6"), Some(2)),
            succeeded: &[(0, 2), (6, 7)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes are nothing",
            policy: one(None, Some(4)),
            succeeded: &[],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes matched rules; rules is proper subset of succeededIndexes",
            policy: one(Some("2-4,6-8"), None),
            succeeded: &[(1, 5), (6, 9)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes matched rules; rules equals succeededIndexes",
            policy: one(Some("2-4,6-9"), None),
            succeeded: &[(2, 4), (6, 9)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes matched rules; rules is subset of succeededIndexes",
            policy: one(Some("2-4,8-12"), None),
            succeeded: &[(2, 5), (7, 15)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; rules is an empty set",
            policy: one(Some(""), None),
            succeeded: &[(1, 3)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; succeededIndexes is an empty set",
            policy: one(Some(""), None),
            succeeded: &[],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; rules and succeededIndexes are empty set",
            policy: one(Some(""), None),
            succeeded: &[],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; all elements of rules.succeededIndexes aren't included in succeededIndexes",
            policy: one(Some("10-12,14-16"), None),
            succeeded: &[(1, 3), (5, 7)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; rules overlaps succeededIndexes at first",
            policy: one(Some("1-3,5-7"), None),
            succeeded: &[(2, 4), (6, 8)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes matched rules; rules overlaps succeededIndexes at first",
            policy: one(Some("1-3,5-7"), Some(4)),
            succeeded: &[(2, 4), (6, 8)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; rules overlaps succeededIndexes at last",
            policy: one(Some("2-4,6-9"), None),
            succeeded: &[(1, 3), (5, 7)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes matched rules; rules overlaps succeededIndexes at last",
            policy: one(Some("2-4,6-9"), Some(4)),
            succeeded: &[(1, 3), (5, 7)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; rules completely overlaps succeededIndexes",
            policy: one(Some("0-4,6-9"), None),
            succeeded: &[(1, 3), (7, 8)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes matched rules; rules completely overlaps succeededIndexes",
            policy: one(Some("0-4,6-9"), Some(5)),
            succeeded: &[(1, 3), (7, 8)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; rules overlaps multiple succeededIndexes at last",
            policy: one(Some("0-6,8-9"), None),
            succeeded: &[(1, 3), (5, 9)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes matched rules; rules overlaps multiple succeededIndexes at last",
            policy: one(Some("0-6,8-9"), Some(7)),
            succeeded: &[(1, 3), (5, 9)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; rules overlaps succeededIndexes at first, and rules equals succeededIndexes at last",
            policy: one(Some("0-5,7-9"), None),
            succeeded: &[(1, 5), (7, 10)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes matched rules; rules overlaps succeededIndexes at first, and rules equals succeededIndexes at last",
            policy: one(Some("0-5,7-9"), Some(8)),
            succeeded: &[(1, 5), (7, 10)],
            want: MATCHED_0,
        },
        SuccessCase {
            name: "rules.succeededIndexes is specified; succeededIndexes didn't match rules; the first rules overlaps succeededIndexes at first",
            policy: one(Some("0-3,6-9"), None),
            succeeded: &[(1, 10)],
            want: None,
        },
        SuccessCase {
            name: "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes matched rules; the first rules overlaps succeededIndexes at first",
            policy: one(Some("0-3,6-9"), Some(7)),
            succeeded: &[(1, 10)],
            want: MATCHED_0,
        },
    ];
    for c in cases {
        let policy = c.policy.map(|rules| SuccessPolicy { rules });
        let got = match_success_policy(policy.as_ref(), 10, &intervals(c.succeeded));
        assert_eq!(got.as_deref(), c.want, "TestMatchSuccessPolicy/{}", c.name);
    }
}

// ------------------------------------------------------------------------------------------
// TestMatchPodFailurePolicy
// ------------------------------------------------------------------------------------------

/// upstream `validPodObjectMeta` (`default/mypod`) with the given status.
fn failed_pod(status: PodStatus) -> Pod {
    Pod {
        metadata: ObjectMeta {
            namespace: Some(NS.into()),
            name: Some("mypod".into()),
            ..Default::default()
        },
        spec: None,
        status: Some(PodStatus {
            phase: Some("Failed".into()),
            ..status
        }),
    }
}

/// A container status; `code` is `None` for a container that has not terminated.
fn cs(name: &str, code: Option<i32>) -> ContainerStatus {
    ContainerStatus {
        name: name.into(),
        state: code.map(|exit_code| ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code,
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn with_containers(statuses: Vec<ContainerStatus>) -> Pod {
    failed_pod(PodStatus {
        container_statuses: Some(statuses),
        ..Default::default()
    })
}

fn with_condition(type_: &str, status: &str) -> Pod {
    failed_pod(PodStatus {
        conditions: Some(vec![PodCondition {
            type_: type_.into(),
            status: status.into(),
            ..Default::default()
        }]),
        ..Default::default()
    })
}

fn exit_rule(action: &str, op: &str, values: &[i32]) -> PodFailurePolicyRule {
    on_exit_codes(action, op, values, None)
}

fn cond_rule(action: &str, type_: &str, status: &str) -> PodFailurePolicyRule {
    PodFailurePolicyRule {
        action: action.into(),
        on_exit_codes: None,
        on_pod_conditions: Some(vec![PodFailurePolicyOnPodConditionsPattern {
            type_: type_.into(),
            status: status.into(),
        }]),
    }
}

struct PfpCase {
    name: &'static str,
    rules: Vec<PodFailurePolicyRule>,
    pod: Pod,
    want_message: Option<&'static str>,
    want_count_failed: bool,
    want_action: Option<PodFailurePolicyAction>,
}

#[test]
fn test_match_pod_failure_policy() {
    use PodFailurePolicyAction::{Count, FailIndex, FailJob, Ignore};
    const DT: &str = "DisruptionTarget";
    let main2 = || with_containers(vec![cs("main-container", Some(2))]);
    let cases = vec![
        PfpCase {
            name: "unknown action for rule matching by exit codes - skip rule with unknown action",
            rules: vec![
                exit_rule("UnknownAction", "In", &[1, 2]),
                exit_rule("FailJob", "In", &[2, 3]),
            ],
            pod: main2(),
            want_message: Some("Container main-container for pod default/mypod failed with exit code 2 matching FailJob rule at index 1"),
            want_count_failed: true,
            want_action: Some(FailJob),
        },
        PfpCase {
            name: "unknown action for rule matching by pod conditions - skip rule with unknown action",
            rules: vec![
                cond_rule("UnkonwnAction", DT, "True"),
                cond_rule("Ignore", DT, "True"),
            ],
            pod: with_condition(DT, "True"),
            want_message: None,
            want_count_failed: false,
            want_action: Some(Ignore),
        },
        PfpCase {
            name: "unknown operator - rule with unknown action is skipped for onExitCodes",
            rules: vec![
                exit_rule("Ignore", "UnknownOperator", &[1, 2]),
                exit_rule("FailJob", "In", &[2, 3]),
            ],
            pod: main2(),
            want_message: Some("Container main-container for pod default/mypod failed with exit code 2 matching FailJob rule at index 1"),
            want_count_failed: true,
            want_action: Some(FailJob),
        },
        // Upstream passes a nil policy; kubeplay's callers never call the helper without one, so
        // the case runs with a policy of no rules, which upstream treats the same way.
        PfpCase {
            name: "no policy rules",
            rules: vec![],
            pod: with_containers(vec![cs("", Some(2))]),
            want_message: None,
            want_count_failed: true,
            want_action: None,
        },
        PfpCase {
            name: "ignore rule matched for exit codes",
            rules: vec![exit_rule("Ignore", "In", &[1, 2, 3])],
            pod: with_containers(vec![cs("", Some(2))]),
            want_message: None,
            want_count_failed: false,
            want_action: Some(Ignore),
        },
        PfpCase {
            name: "ignore rule matched on negative exit codes - needed for Windows support",
            rules: vec![exit_rule("Ignore", "In", &[-1073741676, -1073741510])],
            pod: with_containers(vec![cs("", Some(-1073741510))]),
            want_message: None,
            want_count_failed: false,
            want_action: Some(Ignore),
        },
        PfpCase {
            name: "FailJob rule matched for exit codes",
            rules: vec![exit_rule("FailJob", "In", &[1, 2, 3])],
            pod: main2(),
            want_message: Some("Container main-container for pod default/mypod failed with exit code 2 matching FailJob rule at index 0"),
            want_count_failed: true,
            want_action: Some(FailJob),
        },
        PfpCase {
            name: "successful containers are skipped by the rules",
            rules: vec![exit_rule("FailJob", "NotIn", &[111])],
            pod: failed_pod(PodStatus {
                init_container_statuses: Some(vec![cs("init-container", Some(0))]),
                container_statuses: Some(vec![
                    cs("main-container", Some(111)),
                    cs("suppport-container", Some(0)),
                ]),
                ..Default::default()
            }),
            want_message: None,
            want_count_failed: true,
            want_action: None,
        },
        PfpCase {
            name: "FailIndex rule matched for exit codes",
            rules: vec![exit_rule("FailIndex", "In", &[1, 2, 3])],
            pod: with_containers(vec![cs("", Some(2))]),
            want_message: None,
            want_count_failed: true,
            want_action: Some(FailIndex),
        },
        PfpCase {
            name: "pod failure policy with NotIn operator and value 0",
            rules: vec![exit_rule("FailJob", "NotIn", &[0])],
            pod: with_containers(vec![
                cs("main-container", Some(1)),
                cs("suppport-container", Some(0)),
            ]),
            want_message: Some("Container main-container for pod default/mypod failed with exit code 1 matching FailJob rule at index 0"),
            want_count_failed: true,
            want_action: Some(FailJob),
        },
        PfpCase {
            name: "second jobfail rule matched for exit codes",
            rules: vec![
                exit_rule("Count", "In", &[1, 2, 3]),
                exit_rule("FailJob", "In", &[4, 5, 6]),
            ],
            pod: with_containers(vec![cs("main-container", Some(6))]),
            want_message: Some("Container main-container for pod default/mypod failed with exit code 6 matching FailJob rule at index 1"),
            want_count_failed: true,
            want_action: Some(FailJob),
        },
        PfpCase {
            name: "count rule matched for exit codes",
            rules: vec![exit_rule("Count", "In", &[1, 2, 3])],
            pod: with_containers(vec![cs("foo", None), cs("bar", Some(2))]),
            want_message: None,
            want_count_failed: true,
            want_action: Some(Count),
        },
        PfpCase {
            name: "FailIndex rule matched for pod conditions",
            rules: vec![cond_rule("FailIndex", DT, "True")],
            pod: with_condition(DT, "True"),
            want_message: None,
            want_count_failed: true,
            want_action: Some(FailIndex),
        },
        PfpCase {
            name: "ignore rule matched for pod conditions",
            rules: vec![cond_rule("Ignore", DT, "True")],
            pod: with_condition(DT, "True"),
            want_message: None,
            want_count_failed: false,
            want_action: Some(Ignore),
        },
        PfpCase {
            name: "ignore rule matches by the status=False",
            rules: vec![cond_rule("Ignore", DT, "False")],
            pod: with_condition(DT, "False"),
            want_message: None,
            want_count_failed: false,
            want_action: Some(Ignore),
        },
        PfpCase {
            name: "ignore rule matches by the status=Unknown",
            rules: vec![cond_rule("Ignore", DT, "Unknown")],
            pod: with_condition(DT, "Unknown"),
            want_message: None,
            want_count_failed: false,
            want_action: Some(Ignore),
        },
        PfpCase {
            name: "ignore rule does not match when status for pattern is False, but actual True",
            rules: vec![cond_rule("Ignore", DT, "False")],
            pod: with_condition(DT, "True"),
            want_message: None,
            want_count_failed: true,
            want_action: None,
        },
        PfpCase {
            name: "ignore rule does not match when status for pattern is True, but actual False",
            rules: vec![cond_rule("Ignore", DT, "True")],
            pod: with_condition(DT, "False"),
            want_message: None,
            want_count_failed: true,
            want_action: None,
        },
        PfpCase {
            name: "default - do not match condition with status=False",
            rules: vec![cond_rule("Ignore", DT, "True")],
            pod: with_condition(DT, "False"),
            want_message: None,
            want_count_failed: true,
            want_action: None,
        },
        PfpCase {
            name: "job fail rule matched for pod conditions",
            rules: vec![cond_rule("FailJob", DT, "True")],
            pod: with_condition(DT, "True"),
            want_message: Some(
                "Pod default/mypod has condition DisruptionTarget matching FailJob rule at index 0",
            ),
            want_count_failed: true,
            want_action: Some(FailJob),
        },
        PfpCase {
            name: "count rule matched for pod conditions",
            rules: vec![cond_rule("Count", DT, "True")],
            pod: with_condition(DT, "True"),
            want_message: None,
            want_count_failed: true,
            want_action: Some(Count),
        },
        PfpCase {
            name: "no rule matched",
            rules: vec![
                exit_rule("Count", "NotIn", &[8]),
                exit_rule("Ignore", "In", &[1, 2, 3]),
                exit_rule("FailJob", "NotIn", &[5, 6, 7]),
                cond_rule("Count", "ResourceLimitExceeded", "True"),
                cond_rule("Ignore", DT, "True"),
            ],
            pod: with_containers(vec![cs("", Some(32))]),
            want_message: None,
            want_count_failed: true,
            want_action: Some(Count),
        },
        // Upstream also compares the matched rule's `name` (a field newer than the API kubeplay
        // models); the action and counting are checked here.
        PfpCase {
            name: "expected matching rule returned",
            rules: vec![
                cond_rule("FailJob", "MaxFailedIndexesExceeded", "True"),
                cond_rule("Ignore", DT, "True"),
            ],
            pod: with_condition(DT, "True"),
            want_message: None,
            want_count_failed: false,
            want_action: Some(Ignore),
        },
    ];
    for c in cases {
        let got = match_pod_failure_policy(&PodFailurePolicy { rules: c.rules }, &c.pod);
        let name = c.name;
        assert_eq!(
            got.fail_job_message.as_deref(),
            c.want_message,
            "TestMatchPodFailurePolicy/{name}: message"
        );
        assert_eq!(
            got.count_failed, c.want_count_failed,
            "TestMatchPodFailurePolicy/{name}: countFailed"
        );
        assert_eq!(
            got.action, c.want_action,
            "TestMatchPodFailurePolicy/{name}: action"
        );
    }
}

// ------------------------------------------------------------------------------------------
// job/util/utils_test.go: TestFinishedCondition, TestIsJobSucceeded
// ------------------------------------------------------------------------------------------

/// Conditions as (type, status) pairs.
type Conds = &'static [(&'static str, &'static str)];

fn job_with(conds: Conds) -> Job {
    let mut j = job("foobar").build();
    j.status = Some(JobStatus {
        conditions: (!conds.is_empty()).then(|| {
            conds
                .iter()
                .map(|&(type_, status)| JobCondition {
                    type_: type_.into(),
                    status: status.into(),
                    ..Default::default()
                })
                .collect()
        }),
        ..Default::default()
    });
    j
}

#[test]
fn test_finished_condition() {
    // (name, conditions, wantJobFinished, wantConditionType)
    let cases: [(&str, Conds, bool, &str); 9] = [
        ("Job doesn't have any conditions", &[], false, ""),
        (
            "Job is completed and condition is true",
            &[("Complete", "True")],
            true,
            "Complete",
        ),
        (
            "Job is completed and condition is false",
            &[("Complete", "False")],
            false,
            "",
        ),
        (
            "Job is completed and condition is unknown",
            &[("Complete", "Unknown")],
            false,
            "",
        ),
        (
            "Job has multiple conditions, one of them being complete and condition true",
            &[
                ("Suspended", "False"),
                ("Complete", "True"),
                ("Failed", "False"),
            ],
            true,
            "Complete",
        ),
        (
            "Job is failed and condition is true",
            &[("Failed", "True")],
            true,
            "Failed",
        ),
        (
            "Job is failed and condition is false",
            &[("Failed", "False")],
            false,
            "",
        ),
        (
            "Job is failed and condition is unknown",
            &[("Failed", "Unknown")],
            false,
            "",
        ),
        (
            "Job has multiple conditions, none of them has condition true",
            &[
                ("Suspended", "False"),
                ("Complete", "False"),
                ("Failed", "False"),
            ],
            false,
            "",
        ),
    ];
    for (name, conds, want_finished, want_type) in cases {
        let j = job_with(conds);
        assert_eq!(
            is_job_finished(&j),
            want_finished,
            "TestFinishedCondition/{name}"
        );
        let got_type = if condition_true(&j, JobConditionType::Complete) {
            "Complete"
        } else if condition_true(&j, JobConditionType::Failed) {
            "Failed"
        } else {
            ""
        };
        assert_eq!(got_type, want_type, "TestFinishedCondition/{name}: type");
    }
    // `FinishedCondition` scans every condition: a True one after a False one of the same type
    // (only a user's status edit writes that) still finishes the Job.
    let j = job_with(&[("Complete", "False"), ("Complete", "True")]);
    assert!(is_job_finished(&j), "a later Complete=True counts");
    let j = job_with(&[("Failed", "False"), ("Failed", "True")]);
    assert!(is_job_finished(&j), "a later Failed=True counts");
}

#[test]
fn test_is_job_succeeded() {
    let cases: [(&str, Conds, bool); 3] = [
        ("job doesn't have any conditions", &[], false),
        (
            "job has Complete=True condition",
            &[("Suspended", "False"), ("Complete", "True")],
            true,
        ),
        (
            "job has Complete=False condition",
            &[("Failed", "True"), ("Complete", "False")],
            false,
        ),
    ];
    for (name, conds, want) in cases {
        let j = job_with(conds);
        assert_eq!(
            condition_true(&j, JobConditionType::Complete),
            want,
            "TestIsJobSucceeded/{name}"
        );
    }
}
