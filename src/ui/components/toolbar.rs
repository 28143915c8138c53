//! Theme switch and scenario Export/Import.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{input_value, use_playground, use_select_action};
use crate::ui::state::UiAction;
use crate::ui::{hooks, storage};
use crate::ui::{lesson, scenario};

/// Theme, Export, Import.
#[function_component(Toolbar)]
pub fn toolbar() -> Html {
    let theme = use_state(|| storage::load_theme().unwrap_or_else(|| "system".into()));
    let file_input = use_node_ref();
    let reader = use_mut_ref(|| RefCell::new(None::<gloo::file::callbacks::FileReader>));
    {
        use_effect_with((*theme).clone(), |t| hooks::apply_theme(t));
    }
    let Some(state) = use_playground() else {
        return html! {};
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            let t = input_value(&e);
            storage::save_theme(&t);
            theme.set(t);
        })
    };
    let export = {
        let s = state.clone();
        Callback::from(move |_| {
            let text = scenario::export_yaml(&s.session.borrow(), &s.editor);
            hooks::download("kubeplay-scenario.yaml", &text, "application/yaml");
        })
    };
    let pick = {
        let f = file_input.clone();
        Callback::from(move |_| {
            if let Some(i) = f.cast::<web_sys::HtmlInputElement>() {
                i.click();
            }
        })
    };
    let on_file = {
        let s = state.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            input.set_value("");
            let file = gloo::file::File::from(file);
            let s = s.clone();
            // In a lesson or a linked demo, an import is the learner's own cluster again: it is
            // saved as their session and the page goes to it (the lesson keeps its progress), so
            // the URL and a reload agree with what is shown.
            let leave = s.lesson.is_some() || hooks::url_params().scenario.is_some();
            let task = gloo::file::callbacks::read_as_text(&file, move |res| match res {
                Ok(text) => match scenario::import_yaml(&text) {
                    Ok(sc) if leave && storage::usable() => {
                        storage::save_scenario(&sc);
                        if let Some(editor) = sc.editor.as_deref() {
                            storage::save_editor(editor);
                        }
                        let href = lesson::lesson_href(None, hooks::url_params().embed);
                        if let Some(loc) = web_sys::window().map(|w| w.location()) {
                            let _ = loc.set_search(&href);
                        }
                    }
                    Ok(sc) => s.dispatch(UiAction::Load(sc)),
                    Err(msg) => s.dispatch(UiAction::Notice(Some(format!("Import failed: {msg}")))),
                },
                Err(err) => s.dispatch(UiAction::Notice(Some(format!("Import failed: {err}")))),
            });
            *reader.borrow().borrow_mut() = Some(task);
        })
    };
    let current_lesson = state.lesson.as_ref().map(|l| l.lesson.id.clone());
    // Opening a lesson loads another page: keys only browse the menu, Enter or a click opens.
    let lesson_menu = use_select_action(
        current_lesson.clone().unwrap_or_default(),
        false,
        Callback::from(|id: String| {
            if let Some(loc) = web_sys::window().map(|w| w.location()) {
                let _ = loc.set_search(&if id.is_empty() {
                    String::new()
                } else {
                    format!("lesson={id}")
                });
            }
        }),
    );
    html! {
        <div class="toolbar">
            <label class="inline">{ "Lesson " }
                <select onchange={lesson_menu.onchange} onkeydown={lesson_menu.onkeydown} onblur={lesson_menu.onblur}
                    aria-label="Lesson" aria-describedby="lesson-keys">
                    <option value="" selected={current_lesson.is_none()}>{ "Free play (your cluster)" }</option>
                    { for lesson::menu().into_iter().map(|(id, title)| html! {
                        <option selected={current_lesson.as_deref() == Some(id.as_str())} value={id.clone()}>{ title }</option>
                    }) }
                </select>
                <span id="lesson-keys" class="visually-hidden">{ "Arrow keys choose, Enter opens." }</span>
            </label>
            <label class="inline">{ "Theme " }
                <select onchange={on_theme} aria-label="Theme">
                    { for [("system", "System"), ("light", "Light"), ("dark", "Dark")].iter().map(|(v, t)| html! {
                        <option value={*v} selected={*theme == *v}>{ *t }</option>
                    }) }
                </select>
            </label>
            <button type="button" onclick={export}>{ "Export" }</button>
            <button type="button" onclick={pick}>{ "Import…" }</button>
            <input type="file" ref={file_input} class="visually-hidden" accept=".yaml,.yml,text/yaml"
                aria-label="Import scenario file" tabindex="-1" onchange={on_file} />
        </div>
    }
}
