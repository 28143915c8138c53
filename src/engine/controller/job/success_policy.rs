//! `spec.successPolicy` (Indexed Jobs): `pkg/controller/job/success_policy.go`. The first rule
//! satisfied by the succeeded indexes declares the Job successful.

use k8s_openapi::api::batch::v1::SuccessPolicy;

use super::indexed::OrderedIntervals;

/// `matchSuccessPolicy`: the `SuccessCriteriaMet` message (`Matched rules at index k`) if a rule
/// is satisfied.
pub fn match_success_policy(
    policy: Option<&SuccessPolicy>,
    completions: i32,
    succeeded: &OrderedIntervals,
) -> Option<String> {
    let policy = policy?;
    if succeeded.is_empty() {
        return None;
    }
    for (index, rule) in policy.rules.iter().enumerate() {
        if let Some(indexes) = rule.succeeded_indexes.as_deref() {
            let required = OrderedIntervals::parse(indexes, completions);
            // A rule whose indexes cannot be parsed matches nothing.
            if required.is_empty() {
                continue;
            }
            if match_succeeded_indexes_rule(&required, succeeded, rule.succeeded_count) {
                return Some(format!("Matched rules at index {index}"));
            }
        } else if let Some(count) = rule.succeeded_count {
            if succeeded.total() >= count {
                return Some(format!("Matched rules at index {index}"));
            }
        }
    }
    None
}

/// `matchSucceededIndexesRule`: all of the rule's indexes succeeded, or at least `count` of them.
fn match_succeeded_indexes_rule(
    rule: &OrderedIntervals,
    succeeded: &OrderedIntervals,
    count: Option<i32>,
) -> bool {
    let contains: i32 = rule
        .0
        .iter()
        .map(|r| {
            succeeded
                .0
                .iter()
                .map(|s| (r.last.min(s.last) - r.first.max(s.first) + 1).max(0))
                .sum::<i32>()
        })
        .sum();
    contains == rule.total() || count.is_some_and(|c| contains >= c)
}
