//! The page root: builds the [`Playground`] (URL scenario, saved session or the default),
//! provides it to the panes, runs the play timer, autosaves, and lays the panes out (a grid on
//! wide screens, one pane at a time behind toggle buttons on narrow ones).

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::components::{
    cluster::ClusterPane, console::ConsolePane, editor::EditorPane, events::EventsPane,
    lesson::LessonPane, objects::ObjectsPane, timebar::TimeBar, toolbar::Toolbar,
};
use super::hooks::{self, TickStart, UrlParams};
use super::lesson;
use super::scenario;
use super::state::{Playground, UiAction};
use super::storage;

/// The reducer handle every pane reads from the context.
pub type PlaygroundHandle = UseReducerHandle<Playground>;

/// The command the welcome message offers to put on the console's line.
pub const TRY_COMMAND: &str = "kubectl get pods -A";

/// The status line on a first visit: what the page is and where to start.
pub const WELCOME: &str = "New here? This is a simulated Kubernetes cluster in your browser: three nodes, a DaemonSet and a Job. Play/Pause (or Space) runs its clock. To learn step by step, pick a lesson in the Lesson menu; or type kubectl commands in the console.";

/// The status line when the browser denies the page its storage.
pub const NO_STORAGE: &str = "This browser does not let the page keep data (site data is blocked), so nothing is saved: a reload starts over.";

/// The id of the console's command line (`components/console.rs`), which the skip link, the
/// welcome's "Try" button and a pod's Describe button bring into view.
pub const CONSOLE_INPUT_ID: &str = "console-input";

/// The id of `<main>`, where focus goes when a message it was on is dismissed.
const MAIN_ID: &str = "main";

/// The panes, in narrow-screen tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// Nodes and pods.
    Cluster,
    /// The YAML editor.
    Editor,
    /// DaemonSets and Jobs.
    Objects,
    /// The kubectl console.
    Console,
    /// The event stream.
    Events,
}

impl Pane {
    const ALL: [Pane; 5] = [
        Pane::Cluster,
        Pane::Editor,
        Pane::Objects,
        Pane::Console,
        Pane::Events,
    ];

    /// Button text and heading.
    pub fn as_str(self) -> &'static str {
        match self {
            Pane::Cluster => "Cluster",
            Pane::Editor => "Editor",
            Pane::Objects => "Objects",
            Pane::Console => "Console",
            Pane::Events => "Events",
        }
    }

    /// The id of the pane's tab (narrow layout).
    pub fn tab_id(self) -> String {
        format!("tab-{}", self.as_str().to_ascii_lowercase())
    }

    /// The id of the pane's section, which its tab controls.
    pub fn section_id(self) -> String {
        format!("pane-{}", self.as_str().to_ascii_lowercase())
    }

    /// The tab a key moves to from this one (the ARIA tabs pattern: the arrows wrap around,
    /// Home and End go to the ends), or `None` for any other key.
    pub fn by_key(self, key: &str) -> Option<Pane> {
        let i = Pane::ALL.iter().position(|p| *p == self)?;
        let n = Pane::ALL.len();
        let j = match key {
            "ArrowRight" | "ArrowDown" => (i + 1) % n,
            "ArrowLeft" | "ArrowUp" => (i + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return None,
        };
        Pane::ALL.get(j).copied()
    }
}

fn initial(params: &UrlParams) -> Playground {
    if let Some(l) = params.lesson.as_deref().and_then(lesson::find) {
        let saved = storage::load_lesson(&l.id);
        let mut pg = Playground::from_lesson(l, saved);
        pg.playing = params.play.unwrap_or(true);
        pg.notice = (!storage::usable()).then(|| NO_STORAGE.into());
        return pg;
    }
    let named = params.scenario.as_deref().and_then(scenario::named);
    // A mistyped link must not look like the scenario it names: say what happened instead.
    let mut unknown = match (&params.lesson, &params.scenario, &named) {
        (Some(l), _, _) => Some(format!(
            "There is no lesson \"{l}\": the Lesson menu lists them. This is your own cluster."
        )),
        (None, Some(s), None) => Some(format!(
            "There is no scenario \"{s}\" (try default, empty, nodes or an example's name, such as pi-job). This is your own cluster."
        )),
        _ => None,
    };
    let mut pg = match named {
        Some(sc) => Playground::from_scenario(&sc, Vec::new(), None),
        None => {
            let saved = storage::load();
            // Nothing saved and no link to follow: a first visit, told what it sees.
            if saved.scenario.is_none() && !params.embed && unknown.is_none() {
                unknown = Some(WELCOME.into());
            }
            let sc = saved.scenario.unwrap_or_else(scenario::default_scenario);
            Playground::from_scenario(&sc, saved.history, saved.editor)
        }
    };
    pg.playing = params.play.unwrap_or(true);
    // A demo link saves nothing anyway; otherwise say that a reload will start over.
    if unknown.is_none() && params.scenario.is_none() && !storage::usable() {
        unknown = Some(NO_STORAGE.into());
    }
    pg.notice = unknown;
    pg
}

/// Whether an element with this `tabindex` is a focusable scroll box (the console, the event
/// list: `tabindex="0"`), where Space scrolls. `tabindex="-1"` only lets the page move focus
/// there (`<main>`, which a click on plain text focuses, a lesson's step heading): Space still
/// plays there.
pub fn scrolls_with_space(tabindex: Option<&str>) -> bool {
    tabindex.is_some_and(|t| t.trim().parse::<i32>().is_ok_and(|i| i >= 0))
}

/// Whether Space belongs to the focused element: typing, a control, or a focusable scroll box
/// (the console, the event list), which Space scrolls.
fn is_typing_target(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "textarea" | "select" | "button" | "summary" | "a" | "option" | "dialog"
            ) || scrolls_with_space(el.get_attribute("tabindex").as_deref())
                || el.has_attribute("contenteditable")
        })
}

/// A tick whose work (engine and redraw) takes longer than this is slow.
const SLOW_TICK_MS: f64 = 250.0;
/// After this many slow ticks in a row the page slows the simulation down.
const SLOW_TICKS_IN_A_ROW: u32 = 3;

/// The page root.
#[function_component(App)]
pub fn app() -> Html {
    let params = use_memo((), |_| hooks::url_params());
    let state = {
        let params = params.clone();
        use_reducer(move || initial(&params))
    };
    // A named scenario in the URL is a demo, and a lesson keeps its own cluster: neither
    // overwrites the learner's own saved session.
    let persist = params.scenario.is_none() && state.lesson.is_none();
    let pane = use_state(|| Pane::Cluster);
    let tick_start: TickStart = use_memo((), |_| std::cell::Cell::new(None));
    let slow_ticks = use_memo((), |_| std::cell::Cell::new(0u32));

    {
        let state = state.clone();
        let start = tick_start.clone();
        hooks::use_interval(
            state.playing,
            Callback::from(move |_| {
                start.set(Some(hooks::perf_now()));
                state.dispatch(UiAction::Tick(u64::from(hooks::TICK_MS)));
            }),
        );
    }
    // kubectl's help pages and explain's descriptions arrive after the first draw.
    use_effect_with((), |_| hooks::load_kubectl_docs());
    {
        let start = tick_start.clone();
        let slow = slow_ticks.clone();
        let dispatcher = state.dispatcher();
        use_effect(move || {
            if let Some(t) = start.take() {
                let work = hooks::perf_now() - t;
                hooks::record_frame(work);
                // A tick is due every TICK_MS: ticks that keep taking far longer leave the page
                // unresponsive (the clock also falls behind the speed asked for).
                if work > SLOW_TICK_MS {
                    slow.set(slow.get() + 1);
                } else {
                    slow.set(0);
                }
                if slow.get() >= SLOW_TICKS_IN_A_ROW {
                    slow.set(0);
                    dispatcher.dispatch(UiAction::SlowTicks(work.round() as u32));
                }
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
                // Not passive: Space must not also scroll the page.
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&doc, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if e.key() == " "
                        && !e.ctrl_key()
                        && !e.meta_key()
                        && !e.alt_key()
                        && !is_typing_target(e)
                    {
                        e.prevent_default();
                        dispatcher.dispatch(UiAction::TogglePlay);
                    }
                })
            });
            move || drop(listener)
        });
    }
    // Autosave. While playing, the script is saved once a second (every tenth tick).
    {
        let s = state.clone();
        use_effect_with(
            (
                state.generation,
                state.playing,
                state.lesson.as_ref().map(|l| l.current),
            ),
            move |(generation, playing, _)| {
                if !*playing || generation.is_multiple_of(10) {
                    if persist {
                        storage::save_scenario(&scenario::from_session(
                            &s.session.borrow(),
                            &s.editor,
                        ));
                    } else if let Some((id, saved)) = s.lesson_save() {
                        storage::save_lesson(&id, &saved);
                    }
                }
            },
        );
    }
    {
        let text = state.editor.clone();
        use_effect_with(text, move |text| {
            if persist {
                storage::save_editor(text);
            }
        });
    }
    {
        let history = state.history.clone();
        use_effect_with(history, move |history| {
            if persist {
                storage::save_history(history);
            }
        });
    }

    // On a narrow screen the panes are tabs (the ARIA tabs pattern: the selected tab is the one
    // Tab reaches, arrow keys, Home and End move between them and select as they go).
    let tabs = Pane::ALL.iter().map(|p| {
        let p = *p;
        let selected = *pane == p;
        let onclick = {
            let pane = pane.clone();
            Callback::from(move |_| pane.set(p))
        };
        let onkeydown = {
            let pane = pane.clone();
            Callback::from(move |e: KeyboardEvent| {
                if let Some(next) = p.by_key(&e.key()) {
                    e.prevent_default();
                    pane.set(next);
                    hooks::focus_id(&next.tab_id());
                }
            })
        };
        html! {
            <button type="button" role="tab" id={p.tab_id()} aria-selected={selected.to_string()}
                aria-controls={p.section_id()} tabindex={if selected { "0" } else { "-1" }}
                {onclick} {onkeydown}>{ p.as_str() }</button>
        }
    });
    let cls = |p: Pane| {
        classes!(
            "pane",
            format!("pane-{}", p.as_str().to_ascii_lowercase()),
            (*pane == p).then_some("active")
        )
    };
    let try_console = {
        let (s, pane) = (state.clone(), pane.clone());
        Callback::from(move |_| {
            s.dispatch(UiAction::Prompt(TRY_COMMAND.into()));
            if hooks::narrow_layout() {
                pane.set(Pane::Console);
            }
            // After the redraw that shows the console pane.
            gloo::timers::callback::Timeout::new(0, || hooks::focus_id(CONSOLE_INPUT_ID)).forget();
        })
    };
    // On a phone the console is another pane (display: none): following the link alone left
    // focus nowhere. It shows the Console first, then focuses its command line.
    let skip = {
        let pane = pane.clone();
        Callback::from(move |e: MouseEvent| {
            if hooks::narrow_layout() {
                e.prevent_default();
                pane.set(Pane::Console);
                gloo::timers::callback::Timeout::new(0, || hooks::focus_id(CONSOLE_INPUT_ID))
                    .forget();
            }
        })
    };
    html! {
        <ContextProvider<PlaygroundHandle> context={state.clone()}>
        <ContextProvider<UseStateHandle<Pane>> context={pane.clone()}>
            <div class={classes!("app", params.embed.then_some("embed"))}>
                <a class="skip" href={format!("#{CONSOLE_INPUT_ID}")} onclick={skip}>{ "Skip to the console" }</a>
                <header class="top">
                    <h1>{ "kubeplay" }</h1>
                    <TimeBar />
                    if !params.embed { <Toolbar /> }
                </header>
                if let Some(n) = state.notice.clone() {
                    <p class="notice" role="status">{ n.clone() }
                        // A first visit gets one obvious place to start.
                        if n == WELCOME {
                            if let Some((id, _)) = lesson::menu().into_iter().next() {
                                { " " }<a class="start" href={format!("?lesson={id}")}>{ "Start the first lesson" }</a>
                            }
                            // The console is under the fold on a laptop and another pane on a
                            // phone: this puts the command on its line, ready for Enter.
                            { " · " }<button type="button" class="link start" onclick={try_console}>{ format!("Try {TRY_COMMAND}") }</button>
                        }
                        <button type="button" class="link" aria-label="Dismiss message"
                            onclick={let s = state.clone(); Callback::from(move |_| { s.dispatch(UiAction::Notice(None)); hooks::focus_id(MAIN_ID); })}>{ "×" }</button>
                    </p>
                }
                <LessonPane />
                <div class="tabs" role="tablist" aria-label="Panes">{ for tabs }</div>
                <main class="grid" id={MAIN_ID} tabindex="-1">
                    <section class={cls(Pane::Cluster)} id={Pane::Cluster.section_id()} aria-labelledby="h-cluster"><ClusterPane /></section>
                    <section class={cls(Pane::Editor)} id={Pane::Editor.section_id()} aria-labelledby="h-editor"><EditorPane /></section>
                    <section class={cls(Pane::Objects)} id={Pane::Objects.section_id()} aria-labelledby="h-objects"><ObjectsPane /></section>
                    <section class={cls(Pane::Console)} id={Pane::Console.section_id()} aria-labelledby="h-console"><ConsolePane /></section>
                    <section class={cls(Pane::Events)} id={Pane::Events.section_id()} aria-labelledby="h-events"><EventsPane /></section>
                </main>
            </div>
        </ContextProvider<UseStateHandle<Pane>>>
        </ContextProvider<PlaygroundHandle>>
    }
}

#[cfg(test)]
mod tests {
    use super::{scrolls_with_space, Pane};

    #[test]
    fn pane_tabs_follow_the_arrow_keys_home_and_end() {
        assert_eq!(Pane::Cluster.by_key("ArrowRight"), Some(Pane::Editor));
        assert_eq!(
            Pane::Events.by_key("ArrowRight"),
            Some(Pane::Cluster),
            "wraps"
        );
        assert_eq!(
            Pane::Cluster.by_key("ArrowLeft"),
            Some(Pane::Events),
            "wraps"
        );
        assert_eq!(Pane::Objects.by_key("ArrowUp"), Some(Pane::Editor));
        assert_eq!(Pane::Objects.by_key("Home"), Some(Pane::Cluster));
        assert_eq!(Pane::Objects.by_key("End"), Some(Pane::Events));
        assert_eq!(Pane::Objects.by_key("Enter"), None);
        assert_eq!(Pane::Console.tab_id(), "tab-console");
        assert_eq!(Pane::Console.section_id(), "pane-console");
    }

    #[test]
    fn space_plays_unless_a_focusable_scroll_box_has_focus() {
        for (tabindex, scrolls) in [
            (None, false),
            (Some("-1"), false),
            (Some(" -1 "), false),
            (Some("0"), true),
            (Some("2"), true),
            (Some(""), false),
            (Some("x"), false),
        ] {
            assert_eq!(
                scrolls_with_space(tabindex),
                scrolls,
                "tabindex={tabindex:?}"
            );
        }
    }
}
