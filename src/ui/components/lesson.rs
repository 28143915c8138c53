//! The lesson panel (`?lesson=ID`): the steps with their state in words and icons, the current
//! step's text, a hint and the solution behind disclosure widgets, "Check my work" with the
//! failing query's output when a step is not done yet, and the way out. It only dispatches
//! actions; the checks are [`crate::lessons`].

use yew::prelude::*;

use super::use_playground;
use crate::lessons::StepStatus;
use crate::ui::hooks;
use crate::ui::lesson::{lesson_href, next_after};
use crate::ui::state::UiAction;

/// Opens the time bar's Reset dialog, which says what a lesson's reset does (not
/// `window.confirm`: it blocks the page, cannot be styled, and automation dismisses it).
fn open_reset_dialog() {
    use wasm_bindgen::JsCast;
    if let Some(b) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(super::timebar::RESET_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        b.click();
    }
}

/// The lesson panel; empty outside a lesson.
#[function_component(LessonPane)]
pub fn lesson_pane() -> Html {
    let state = use_playground();
    // Links out of the lesson keep an iframe's compact layout.
    let embed = *use_memo((), |_| hooks::url_params().embed);
    // A new step replaces the controls that completed the old one ("Run the solution", "Check my
    // work"): focus then goes to the new step's heading instead of falling back to the page.
    let current = state
        .as_ref()
        .and_then(|s| s.lesson.as_ref())
        .map(|l| l.current);
    let shown = use_mut_ref(|| current);
    use_effect_with(current, move |current| {
        let before = std::mem::replace(&mut *shown.borrow_mut(), *current);
        if before.is_some() && before != *current && hooks::focus_lost() {
            hooks::focus_id(STEP_HEADING_ID);
        }
    });
    let Some(state) = state else {
        return html! {};
    };
    let Some(st) = state.lesson.clone() else {
        return html! {};
    };
    let lesson = st.lesson.clone();
    let total = lesson.steps.len();
    let act = |a: UiAction| {
        let s = state.clone();
        Callback::from(move |_| s.dispatch(a.clone()))
    };
    let restart = Callback::from(|_| open_reset_dialog());
    let steps = lesson.steps.iter().enumerate().map(|(i, step)| {
        let (icon, word, class) = match i.cmp(&st.current) {
            std::cmp::Ordering::Less => ("✓", "done", "done"),
            std::cmp::Ordering::Equal => ("→", "current", "current"),
            std::cmp::Ordering::Greater => ("○", "to do", "todo"),
        };
        html! {
            <li class={classes!("lesson-step", class)}
                aria-current={(i == st.current).then_some("step")}>
                <span class="icon" aria-hidden="true">{ icon }</span>
                <span class="visually-hidden">{ format!("{word}: ") }</span>
                { step.title.clone() }
            </li>
        }
    });
    let summary_text = if st.finished() {
        format!("Lesson: {} — complete", lesson.title)
    } else {
        format!(
            "Lesson: {} — step {} of {total}",
            lesson.title,
            st.current + 1
        )
    };
    let body = match lesson.steps.get(st.current) {
        Some(step) => {
            let verdict = match &st.verdict {
                Some(StepStatus::Pending { query, got, want }) => html! {
                    <div class="lesson-verdict">
                        <p><span aria-hidden="true">{ "✗ " }</span>{ "Not done yet. " }
                            <code>{ query.clone() }</code>{ " printed:" }</p>
                        <pre tabindex="0">{ if got.is_empty() { "(nothing)".to_string() } else { got.clone() } }</pre>
                        <p>{ "The step wants: " }<code>{ want.clone() }</code></p>
                    </div>
                },
                Some(StepStatus::Done) | None => html! {},
            };
            // Keyed by step, so the hint and solution start closed on every new step.
            html! {
                <div key={format!("step-{}", st.current)}>
                    <h3 id={STEP_HEADING_ID} tabindex="-1">{ format!("Step {} of {total}: {}", st.current + 1, step.title) }</h3>
                    <p class="lesson-text">{ rich_text(&step.text) }</p>
                    if let Some(hint) = step.hint.clone() {
                        <details class="lesson-hint">
                            <summary>{ "Hint" }</summary>
                            <p>{ hint_text(&hint) }</p>
                        </details>
                    }
                    if !step.solution.trim().is_empty() {
                        <details class="lesson-solution">
                            <summary>{ "Solution" }</summary>
                            <pre tabindex="0">{ step.solution.trim_end().to_string() }</pre>
                            <button type="button" onclick={act(UiAction::RunSolution)}>
                                { "Run the solution" }
                            </button>
                        </details>
                    }
                    <div class="row">
                        <button type="button" class="primary" onclick={act(UiAction::CheckLesson)}>
                            { "Check my work" }
                        </button>
                    </div>
                    <div aria-live="polite">{ verdict }</div>
                </div>
            }
        }
        None => {
            let next = next_after(&lesson.id);
            html! {
            <>
                <p class="lesson-done" id={STEP_HEADING_ID} tabindex="-1"><span aria-hidden="true">{ "✓ " }</span>
                    { "Lesson complete: every step is done. Keep exploring this cluster" }
                    { if next.is_some() { ", or go on." } else { "." } }</p>
                <p>{ match next.clone() {
                    Some((id, title)) => html! {
                        <a href={lesson_href(Some(&id), embed)}>{ format!("Next lesson: {title}") }</a>
                    },
                    // The last lesson: say so, and where to go instead of a missing "Next".
                    None => html! { <>
                        { "That was the last lesson. " }
                        <a href={lesson_href(None, embed)}>{ "Go back to your own cluster" }</a>
                        { " and try what you learned there, or " }
                        <a href={lesson_href(crate::ui::lesson::menu().first().map(|(id, _)| id.as_str()), embed)}>{ "start again with the first lesson" }</a>
                        { "." }
                    </> },
                } }</p>
            </>
            }
        }
    };
    html! {
        <section class="lesson" aria-labelledby="h-lesson">
                <h2 id="h-lesson">{ summary_text }</h2>
                <p class="lesson-summary">{ rich_text(&lesson.summary) }</p>
                <ol class="lesson-steps" aria-label="Steps">{ for steps }</ol>
                { body }
                <p class="lesson-exit">
                    <button type="button" class="link" onclick={restart} aria-haspopup="dialog">{ "Start the lesson again…" }</button>
                    { " · " }
                    <a href={lesson_href(None, embed)}>{ "Leave the lesson (back to your own cluster)" }</a>
                </p>
        </section>
    }
}

/// The id of the current step's heading (or the "Lesson complete" line).
const STEP_HEADING_ID: &str = "lesson-step";

/// A hint: a command to type (all code), or prose with `backticked` code when it has backticks.
fn hint_text(hint: &str) -> Html {
    if hint.contains('`') {
        rich_text(hint)
    } else {
        html! { <code>{ hint.to_string() }</code> }
    }
}

/// Splits lesson prose into (is code, text) runs: `backticked` spans are code; an unpaired
/// backtick stays as written.
fn code_spans(text: &str) -> Vec<(bool, String)> {
    let parts: Vec<&str> = text.split('`').collect();
    // With an odd number of backticks the last one has no partner.
    let unpaired = parts.len().is_multiple_of(2);
    let mut out: Vec<(bool, String)> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let lone = unpaired && i + 1 == parts.len();
        let code = i % 2 == 1 && !lone;
        let piece = if lone {
            format!("`{part}")
        } else {
            part.to_string()
        };
        match out.last_mut() {
            Some((false, prev)) if !code => prev.push_str(&piece),
            _ if piece.is_empty() => {}
            _ => out.push((code, piece)),
        }
    }
    out
}

/// Lesson prose with its code spans.
fn rich_text(text: &str) -> Html {
    html! {
        <>
        { for code_spans(text).into_iter().map(|(code, part)| if code {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn backticks_make_code_spans() {
        assert_eq!(
            code_spans("run `kubectl get ds` now"),
            vec![
                (false, "run ".to_string()),
                (true, "kubectl get ds".to_string()),
                (false, " now".to_string())
            ]
        );
        assert_eq!(code_spans("plain"), vec![(false, "plain".to_string())]);
        // An unpaired backtick is text.
        assert_eq!(
            code_spans("a `b` c `d"),
            vec![
                (false, "a ".to_string()),
                (true, "b".to_string()),
                (false, " c `d".to_string())
            ]
        );
    }
}
