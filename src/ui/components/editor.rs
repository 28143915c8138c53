//! The YAML editor: a textarea over a highlighted `<pre>` (both in one scrolling box, so they
//! never drift), line numbers, the example menu, Apply (Ctrl/Cmd+Enter) and Delete, and the API
//! server's error marked at its line and column.

use yew::prelude::*;

use super::{input_value, use_playground, use_select_action};
use crate::ui::scenario::EXAMPLES;
use crate::ui::state::UiAction;
use crate::ui::yaml;

/// Byte offset of (line, column), both 1-based, in `text` (clamped).
fn offset_of(text: &str, line: u32, column: u32) -> u32 {
    let mut off = 0usize;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            let col = (column.max(1) as usize - 1).min(l.chars().count());
            let chars: usize = l.chars().take(col).count();
            return u32::try_from(off + chars).unwrap_or(0);
        }
        off += l.chars().count() + 1;
    }
    u32::try_from(off).unwrap_or(0)
}

/// The editor pane.
#[function_component(EditorPane)]
pub fn editor_pane() -> Html {
    let Some(state) = use_playground() else {
        return html! {};
    };
    let area = use_node_ref();
    let text = state.editor.clone();
    let err_line = state
        .feedback
        .as_ref()
        .and_then(|f| f.position)
        .map(|p| p.line);
    let n_lines = yaml::line_count(&text);

    let oninput = {
        let s = state.clone();
        Callback::from(move |e: InputEvent| s.dispatch(UiAction::Edit(input_value(&e))))
    };
    let onkeydown = {
        let s = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                s.dispatch(UiAction::Apply);
            }
        })
    };
    // Back to "Load an example…" after each load: picking the same example again (after editing
    // it) must load it again, and a change event fires only on a new choice. Arrow keys load
    // one example after the other.
    let example = {
        let s = state.clone();
        use_select_action(
            String::new(),
            true,
            Callback::from(move |id: String| s.dispatch(UiAction::LoadExample(id))),
        )
    };
    let dispatch = |a: UiAction| {
        let s = state.clone();
        Callback::from(move |_| s.dispatch(a.clone()))
    };
    let goto = state.feedback.as_ref().and_then(|f| f.position).map(|p| {
        let area = area.clone();
        let text = text.clone();
        Callback::from(move |_| {
            if let Some(t) = area.cast::<web_sys::HtmlTextAreaElement>() {
                let at = offset_of(&text, p.line, p.column.unwrap_or(1));
                let _ = t.set_selection_range(at, at);
                let _ = t.focus();
            }
        })
    });

    let gutter = (1..=n_lines).map(|i| {
        let err = err_line == Some(u32::try_from(i).unwrap_or(0));
        html! { <span class={classes!(err.then_some("err"))}>{ if err { format!("! {i}") } else { i.to_string() } }</span> }
    });
    let lines = text.split('\n').enumerate().map(|(i, line)| {
        let err = err_line == Some(u32::try_from(i + 1).unwrap_or(0));
        html! {
            <span class={classes!("line", err.then_some("err"))}>
                { for yaml::highlight_line(line).into_iter().map(|(tok, t)| html! { <span class={tok.as_str()}>{ t }</span> }) }
                { "\n" }
            </span>
        }
    });
    let feedback = state.feedback.clone();
    html! {
        <>
            <div class="pane-head">
                <h2 id="h-editor">{ "Editor" }</h2>
                <label class="inline">{ "Examples " }
                    <select onchange={example.onchange} onkeydown={example.onkeydown} onblur={example.onblur}
                        aria-label="Examples">
                        <option value="" selected=true>{ "Load an example…" }</option>
                        { for EXAMPLES.iter().map(|e| html! { <option value={e.id}>{ e.title }</option> }) }
                    </select>
                </label>
                if state.editor_previous.is_some() {
                    <button type="button" onclick={dispatch(UiAction::RestoreEditor)}>{ "Restore previous text" }</button>
                }
            </div>
            <div class="editor">
                <div class="gutter" aria-hidden="true">{ for gutter }</div>
                <div class="code">
                    <pre class="highlight" aria-hidden="true"><code>{ for lines }</code></pre>
                    <textarea ref={area} value={text.clone()} {oninput} {onkeydown} spellcheck="false"
                        autocapitalize="off" autocomplete="off" wrap="off"
                        aria-label="Manifest YAML" aria-keyshortcuts="Control+Enter Meta+Enter"
                        placeholder="Write a manifest here, or load one from Examples; then Apply."
                        aria-invalid={feedback.as_ref().is_some_and(|f| !f.ok).to_string()}
                        aria-describedby="editor-feedback" />
                </div>
            </div>
            <div class="row">
                <button type="button" class="primary" onclick={dispatch(UiAction::Apply)} title="Ctrl+Enter or Cmd+Enter">{ "Apply" }</button>
                <button type="button" onclick={dispatch(UiAction::Delete)}>{ "Delete" }</button>
                <span class="muted small">{ "Apply runs kubectl apply -f - with this text; Delete runs kubectl delete -f -." }</span>
            </div>
            <div id="editor-feedback" class="feedback" aria-live="polite">
                if let Some(f) = feedback {
                    <div class={classes!(if f.ok { "ok" } else { "error" })}>
                        // Said in words (and an icon), not by the box's colour alone.
                        <p class="verdict">
                            <span aria-hidden="true">{ if f.ok { "✓ " } else { "✕ " } }</span>
                            { match (f.verb, f.ok) {
                                ("delete", true) => "Deleted",
                                ("delete", false) => "Delete failed",
                                (_, true) => "Applied",
                                (_, false) => "Apply failed",
                            } }
                        </p>
                        if let Some(p) = f.position {
                            <p class="where">
                                { match p.column { Some(c) => format!("Line {}, column {c}", p.line), None => format!("Line {}", p.line) } }
                                { " " }
                                <button type="button" class="link" onclick={goto.unwrap_or_default()}>{ format!("Go to line {}", p.line) }</button>
                            </p>
                        }
                        <pre>{ f.text }</pre>
                    </div>
                }
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::offset_of;

    #[test]
    fn offset_of_counts_chars() {
        let t = "ab\ncdé\nf";
        assert_eq!(offset_of(t, 1, 1), 0);
        assert_eq!(offset_of(t, 2, 3), 5);
        assert_eq!(offset_of(t, 2, 99), 6);
        assert_eq!(offset_of(t, 3, 1), 7);
        assert_eq!(offset_of(t, 9, 1), 9);
    }
}
