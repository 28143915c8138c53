//! `spec.podFailurePolicy`: `pkg/controller/job/pod_failure_policy.go`. Rules are tried in order
//! against a failed pod; the first whose `onExitCodes` or `onPodConditions` matches decides.

use k8s_openapi::api::batch::v1::{PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement};
use k8s_openapi::api::core::v1::{ContainerStatus, Pod, PodCondition};

/// `PodFailurePolicyAction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodFailurePolicyAction {
    /// Fail the whole Job.
    FailJob,
    /// Fail the pod's index (`backoffLimitPerIndex`).
    FailIndex,
    /// Do not count the failure.
    Ignore,
    /// Count the failure as usual.
    Count,
}

impl PodFailurePolicyAction {
    /// Parses the API spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "FailJob" => Some(Self::FailJob),
            "FailIndex" => Some(Self::FailIndex),
            "Ignore" => Some(Self::Ignore),
            "Count" => Some(Self::Count),
            _ => None,
        }
    }

    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FailJob => "FailJob",
            Self::FailIndex => "FailIndex",
            Self::Ignore => "Ignore",
            Self::Count => "Count",
        }
    }
}

/// What matching a failed pod against the policy says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyMatch {
    /// The Job failure message when a `FailJob` rule matched.
    pub fail_job_message: Option<String>,
    /// Whether the failure counts towards `backoffLimit` (false for `Ignore`).
    pub count_failed: bool,
    /// The matched rule's action.
    pub action: Option<PodFailurePolicyAction>,
}

/// `matchPodFailurePolicy`.
pub fn match_pod_failure_policy(policy: &PodFailurePolicy, pod: &Pod) -> PolicyMatch {
    let no_match = PolicyMatch {
        fail_job_message: None,
        count_failed: true,
        action: None,
    };
    let Some(status) = pod.status.as_ref() else {
        return no_match;
    };
    let ns = pod.metadata.namespace.as_deref().unwrap_or_default();
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    for (index, rule) in policy.rules.iter().enumerate() {
        let Some(action) = PodFailurePolicyAction::parse(&rule.action) else {
            continue;
        };
        let fail_message = if let Some(req) = rule.on_exit_codes.as_ref() {
            let containers = status.container_statuses.as_deref().unwrap_or_default();
            let init = status
                .init_container_statuses
                .as_deref()
                .unwrap_or_default();
            let Some(cs) =
                matching_container(containers, req).or_else(|| matching_container(init, req))
            else {
                continue;
            };
            let code = cs
                .state
                .as_ref()
                .and_then(|s| s.terminated.as_ref())
                .map_or(0, |t| t.exit_code);
            format!(
                "Container {} for pod {ns}/{name} failed with exit code {code} matching {} rule at index {index}",
                cs.name,
                action.as_str()
            )
        } else if let Some(patterns) = rule.on_pod_conditions.as_ref() {
            let conditions = status.conditions.as_deref().unwrap_or_default();
            let Some(c) = matching_condition(conditions, patterns) else {
                continue;
            };
            format!(
                "Pod {ns}/{name} has condition {} matching {} rule at index {index}",
                c.type_,
                action.as_str()
            )
        } else {
            continue;
        };
        match action {
            PodFailurePolicyAction::Ignore => {
                return PolicyMatch {
                    fail_job_message: None,
                    count_failed: false,
                    action: Some(action),
                }
            }
            PodFailurePolicyAction::FailIndex | PodFailurePolicyAction::Count => {
                return PolicyMatch {
                    fail_job_message: None,
                    count_failed: true,
                    action: Some(action),
                }
            }
            PodFailurePolicyAction::FailJob => {
                return PolicyMatch {
                    fail_job_message: Some(fail_message),
                    count_failed: true,
                    action: Some(action),
                }
            }
        }
    }
    no_match
}

/// `getMatchingContainerFromList`: the first terminated container (of the named one, if given)
/// with a non-zero exit code that the operator accepts.
fn matching_container<'a>(
    statuses: &'a [ContainerStatus],
    req: &PodFailurePolicyOnExitCodesRequirement,
) -> Option<&'a ContainerStatus> {
    statuses.iter().find(|cs| {
        let Some(t) = cs.state.as_ref().and_then(|s| s.terminated.as_ref()) else {
            return false;
        };
        let name_ok = req.container_name.as_deref().is_none_or(|n| n == cs.name);
        name_ok && t.exit_code != 0 && exit_code_matches(t.exit_code, req)
    })
}

fn exit_code_matches(code: i32, req: &PodFailurePolicyOnExitCodesRequirement) -> bool {
    match req.operator.as_str() {
        "In" => req.values.contains(&code),
        "NotIn" => !req.values.contains(&code),
        _ => false,
    }
}

/// `matchOnPodConditions`: the first pod condition equal to one of the patterns.
fn matching_condition<'a>(
    conditions: &'a [PodCondition],
    patterns: &[k8s_openapi::api::batch::v1::PodFailurePolicyOnPodConditionsPattern],
) -> Option<&'a PodCondition> {
    conditions.iter().find(|c| {
        patterns.iter().any(|p| {
            // An unset status is defaulted to True by the API server.
            let want = if p.status.is_empty() {
                "True"
            } else {
                p.status.as_str()
            };
            p.type_ == c.type_ && want == c.status.as_str()
        })
    })
}
